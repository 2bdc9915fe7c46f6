package org.fedai.roles.router;

import java.util.HashSet;
import java.util.Set;
import org.fedai.nostr.Event;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.MeteringCodecs;
import org.fedai.protocol.MeteringReceipt;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.PaymentTiming;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.RouterJobRow;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;

/**
 * The router's side of a node's 4407 metering record (market-flow.md): checked against the work order, the quote
 * and the verified payments, journalled and countersigned with a 4408 receipt. Apart from {@link JobFlow} because
 * it is the one step that judges a delivered job rather than moving an order along; it shares the flow's spec
 * re-reading and refusal counting, and parks records whose proof has not come yet.
 */
final class MeteringIntake {

    private final RouterRole role;
    private final RouterLedger ledger;
    private final JobFlow flow;
    private final AwaitingProof awaitingProof;

    MeteringIntake(RouterRole role, JobFlow flow, AwaitingProof awaitingProof) {
        this.role = role;
        this.ledger = role.ledger;
        this.flow = flow;
        this.awaitingProof = awaitingProof;
    }

    void onMetering(Event event) {
        Decoded<MeteringRecord> decoded = MeteringCodecs.decodeRecord(event);
        if (decoded instanceof Decoded.Rejected<MeteringRecord> r) {
            flow.refuse("4407", r.rejection().reason().code(), event);
            return;
        }
        MeteringRecord record = decoded.orElseThrow();
        RouterJobRow job = ledger.job(record.jobId()).orElse(null);
        RouterLedger.WorkOrderRow order = ledger.workOrder(record.jobId()).orElse(null);
        if (job == null || order == null || !record.router().equals(role.publicKey())) {
            flow.refuse("4407", "no_work_order", event);
            return;
        }
        if (!event.pubkey().equals(order.node())) {
            flow.refuse("4407", "not_ordered_node", event);
            return;
        }
        if (ledger.metering(event.id()).filter(m -> !m.receiptId().isEmpty()).isPresent()) {
            return; // already countersigned
        }
        RouterQuoteRow quote = ledger.quote(order.quoteId()).orElseThrow();
        Set<String> verified = new HashSet<>(ledger.verifiedHashes(job.jobId(), PaymentCheck.NODE));
        verified.addAll(ledger.verifiedHashes(job.jobId(), PaymentCheck.FEE));
        boolean partial = PaymentTiming.PARTIAL.code().equals(quote.timing());
        String refusal = !record.client().equals(quote.client()) ? "wrong_client"
                : partial ? (record.paymentHashes().size() != 1 || !partPrice(job, quote, record.priceMsat())
                        ? "price_mismatch" : !verified.containsAll(record.paymentHashes()) ? "unverified_payment" : "")
                : record.priceMsat() != quote.nodePriceMsat() ? "price_mismatch"
                : !verified.containsAll(record.paymentHashes()) ? "unverified_payment"
                : order.authorization().equals(WorkOrder.Authorization.PAID.code()) && record.paymentHashes().isEmpty()
                        ? "missing_payment_hashes" : "";
        if (refusal.equals("unverified_payment") && JobFlow.deferred(quote.timing()) && (partial
                || ledger.debt(job.jobId()).map(RouterLedger.Debt::open).orElse(false))) {
            awaitingProof.park(job.jobId(), event); // the node settled before the client proved
            role.activity.increment("4407:awaiting_proof");
            return;
        }
        if (!refusal.isEmpty()) {
            flow.refuse("4407", refusal, event);
            return;
        }
        boolean first = job.state() != RouterJobState.METERED;
        long seq = ledger.appendMetering(event.id(), job.jobId(), order.node(), quote.client(), record.units(),
                record.priceMsat(), record.paymentHashes(), role.nowSeconds());
        if (first) {
            long latencyMs = Math.max(0, role.config.clock().millis() - quote.createdAtMs());
            ledger.setLatency(job.jobId(), latencyMs);
            role.registry.recordSuccess(order.node(), latencyMs);
            JobRequest.Spec spec = flow.respec(job);
            if (!partial) { // a part's units are not the job's: no throughput to judge from one part
                role.misrepresentation.metered(job.jobId(), order.node(), spec == null ? "" : spec.task(),
                        record.units());
            }
        }
        Event receipt = role.sign(MeteringCodecs.encodeReceipt(new MeteringReceipt(event.id(), job.jobId(),
                order.node(), quote.client(), record.units(), record.priceMsat(), seq), role.nowSeconds()));
        ledger.setReceipt(event.id(), receipt.id());
        role.publish(receipt);
        role.activity.increment("4408:sent");
        if (first) {
            role.outcome(job.jobId());
        }
    }

    /** Whether {@code amountMsat} is the price of one part of a partial job (market-flow.md). */
    private boolean partPrice(RouterJobRow job, RouterQuoteRow quote, long amountMsat) {
        JobRequest.Spec spec = flow.respec(job);
        return spec != null && PaymentCheck.isPartPrice(quote.nodePriceMsat(), (int) spec.units(), amountMsat);
    }
}
