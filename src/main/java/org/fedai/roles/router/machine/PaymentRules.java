package org.fedai.roles.router.machine;

import java.util.List;
import java.util.Set;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.MeteringCodecs;
import org.fedai.protocol.MeteringReceipt;
import org.fedai.protocol.MeteringRecord;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;

/**
 * The router's job machine on money: when a 4403 proof is worth checking and what a verified one does (orders,
 * clears a debt, or proves a part), and whether a 4407 metering record matches the order, the quote and the
 * verified payments before it is journalled and countersigned in a 4408 receipt.
 */
final class PaymentRules {

    /** Sends a work order as part of a transition (RouterJobMachine#sendWorkOrder). */
    interface WorkOrders {
        void send(RouterQuoteRow quote, WorkAuthorization authorization, List<String> hashes, Step step,
                long nowMs);
    }

    private final KeyPair keys;
    private final WorkOrders workOrders;

    PaymentRules(KeyPair keys, WorkOrders workOrders) {
        this.keys = keys;
        this.workOrders = workOrders;
    }

    // ---- 4403 proof -------------------------------------------------------------------------------------------

    void onProof(RouterInput.ProofReceived p, Step step, long nowMs) {
        RouterJob job = step.job();
        Event event = p.event();
        if (!job.known() || !job.client().hex().equals(event.pubkey())) {
            step.refuse(FedaiKind.PAYMENT_PROOF, "unknown_job", event);
            return;
        }
        RouterQuoteRow quote = job.activeQuote().orElseThrow();
        RouterTiming timing = RouterTiming.of(quote.timing());
        if (timing.proofUse() == RouterTiming.ProofUse.PER_PART) {
            // parts delivered before a failure are still owed and proved, so a partial job's state is not asked
            if (job.order().isEmpty()) {
                step.refuse(FedaiKind.PAYMENT_PROOF, "not_ordered", event);
            } else if (p.spec() == null) {
                step.refuse(FedaiKind.PAYMENT_PROOF, "spec_expired", event); // the part prices follow from the spec's units
            } else {
                step.effect(new RouterAction.CheckPayment(event, p.proof(), quote, false, (int) p.spec().units()));
            }
            return;
        }
        if (job.state() == RouterJobState.FAILED) {
            step.refuse(FedaiKind.PAYMENT_PROOF, "job_failed", event); // nothing was ordered: the preimages are not ours to spend
            return;
        }
        if (timing.proofUse() == RouterTiming.ProofUse.NONE) {
            step.refuse(FedaiKind.PAYMENT_PROOF, "free_job", event); // nothing was invoiced: no preimage can belong to it
            return;
        }
        boolean clearsDebt = timing.proofUse() == RouterTiming.ProofUse.CLEARS_DEBT;
        // its spare's payment settled by the node on the order: the node's proof comes after the order (the fee's, for
        // a quote without run_on_payment, before it: that one orders the work)
        boolean orderedFirst = RouterTiming.spareSettledOnOrder(quote);
        boolean feeFirst = RouterTiming.ordersSpareOnFeeProof(quote) && job.order().isEmpty();
        RouterLedger.Debt debt = job.debt().orElse(null);
        boolean settled = clearsDebt ? debt != null && !debt.open()
                : orderedFirst ? RouterTiming.spareHash(quote).filter(job.verifiedHashes()::contains).isPresent()
                : job.state() != RouterJobState.ACCEPTED && job.state() != RouterJobState.QUOTED;
        if (!settled && clearsDebt && debt == null) {
            step.refuse(FedaiKind.PAYMENT_PROOF, "not_ordered", event);
        } else if (!settled && feeFirst && nowMs / 1000 > quote.expiresAt()) {
            step.refuse(FedaiKind.PAYMENT_PROOF, "quote_expired", event);
        } else if (!settled && orderedFirst && !feeFirst && job.order().isEmpty()) {
            step.refuse(FedaiKind.PAYMENT_PROOF, "not_ordered", event); // the node's spare is settled only on the order
        } else if (!settled && !clearsDebt && !orderedFirst && job.state() != RouterJobState.ACCEPTED) {
            step.refuse(FedaiKind.PAYMENT_PROOF, "not_accepted", event);
        } else if (!settled && !clearsDebt && !orderedFirst && nowMs / 1000 > quote.expiresAt()) {
            step.refuse(FedaiKind.PAYMENT_PROOF, "quote_expired", event);
        } else {
            step.effect(new RouterAction.CheckPayment(event, p.proof(), quote, settled, 0));
        }
    }

    void onProofChecked(RouterInput.ProofChecked c, Step step, long nowMs) {
        RouterAction.CheckPayment request = c.request();
        ProofOutcome outcome = c.outcome();
        step.learn(job -> job.withVerified(outcome.paymentHashes())); // the check recorded them with their spend
        if (!(outcome instanceof ProofOutcome.Verified verified)) {
            step.refuse(FedaiKind.PAYMENT_PROOF, ((ProofOutcome.Refused) outcome).reason(), request.event());
            return;
        }
        RouterTiming timing = RouterTiming.of(request.quote().timing());
        JobId jobId = request.quote().jobId();
        if (timing.proofUse() == RouterTiming.ProofUse.PER_PART) {
            step.count("4403:part_verified");
        } else if (request.settled()) {
            step.refuse(FedaiKind.PAYMENT_PROOF, "already_settled", request.event());
        } else if (!verified.complete() && RouterTiming.ordersSpareOnFeeProof(request.quote())
                && verified.paymentHashes().contains(request.quote().feePaymentHash())) {
            // the fee proved alone, the node's payment locked in its spare: ordered now if the node accepted, else on
            // its accepted (RouterJobMachine#onAccepted); ordered already when the router's wallet reported it first
            if (step.job().order().isPresent()) {
                step.count("4403:fee_verified_after_order");
            } else if (RouterTiming.feeProvedAndAccepted(request.quote(), step.job().state() == RouterJobState.ACCEPTED,
                    java.util.Set.copyOf(verified.paymentHashes()))) {
                workOrders.send(request.quote(), WorkAuthorization.PAID, RouterTiming.spareHashes(request.quote()), step,
                        nowMs);
            } else {
                step.count("4403:fee_verified_before_accept");
            }
        } else if (!verified.complete()) {
            step.refuse(FedaiKind.PAYMENT_PROOF, "incomplete", request.event());
        } else if (timing.proofUse() == RouterTiming.ProofUse.CLEARS_DEBT) {
            step.journal(new RouterAction.ClearDebt(jobId, nowMs / 1000));
            step.count("4403:debt_cleared");
        } else if (RouterTiming.spareSettledOnOrder(request.quote()) && step.job().order().isPresent()) {
            step.count("4403:verified_after_order"); // ordered before the node settled: the proof is bookkeeping
        } else {
            workOrders.send(request.quote(), WorkAuthorization.PAID, outcome.paymentHashes(), step, nowMs);
        }
        step.effect(new RouterAction.ReleaseParked(jobId));
    }

    /**
     * The router's own wallet reports the job's fee invoice settled: its word, which no client could fake, so the fee
     * counts as paid now (and in the client's fee credit). For a quote that carried the node's spare without
     * run_on_payment it is what orders the work, a hop before the client's proof of the fee could; that proof, when
     * it comes, finds the fee verified.
     */
    void onFeeSettled(RouterInput.FeeSettled f, Step step, long nowMs) {
        RouterJob job = step.job();
        RouterQuoteRow quote = job.known() ? job.activeQuote().orElse(null) : null;
        if (quote == null || !quote.feePaymentHash().equals(f.paymentHash()) || f.amount().compareTo(quote.fee()) < 0
                || job.verifiedHashes().contains(f.paymentHash())) {
            return; // an invoice of another kind, an earlier quote's, short of the fee, or known already
        }
        step.journal(new RouterAction.RecordFeePayment(job.jobId(), f.paymentHash(), quote.fee(), nowMs / 1000));
        step.count("wallet:fee_settled");
        if (job.order().isEmpty() && !job.ended() && RouterTiming.feeProvedAndAccepted(quote,
                job.state() == RouterJobState.ACCEPTED, Set.of(f.paymentHash()))) {
            workOrders.send(quote, WorkAuthorization.PAID, RouterTiming.spareHashes(quote), step, nowMs);
        }
    }

    // ---- 4407 metering ----------------------------------------------------------------------------------------

    void onMetering(RouterInput.MeteringReceived m, Step step, long nowMs) {
        RouterJob job = step.job();
        Event event = m.event();
        MeteringRecord record = m.record();
        RouterLedger.WorkOrderRow order = job.order().orElse(null);
        if (order == null && job.known() && record.router().equals(keys.publicKey()) && job.activeQuote()
                .filter(q -> RouterTiming.runsBeforeOrder(q) && event.pubkey().equals(q.node().hex()))
                .isPresent()) {
            // free work runs on quote and input, run-on-payment work on the node's own settlement: the order follows
            step.effect(new RouterAction.ParkMetering(job.jobId(), event));
            return;
        }
        if (!job.known() || order == null || !record.router().equals(keys.publicKey())) {
            step.refuse(FedaiKind.METERING_RECORD, "no_work_order", event);
            return;
        }
        if (!event.pubkey().equals(order.node().hex())) {
            step.refuse(FedaiKind.METERING_RECORD, "not_ordered_node", event);
            return;
        }
        if (m.countersigned()) {
            return;
        }
        RouterQuoteRow quote = job.quote(order.quoteId()).orElseThrow();
        RouterTiming timing = RouterTiming.of(quote.timing());
        boolean partial = timing.proofUse() == RouterTiming.ProofUse.PER_PART;
        String refusal = refusal(record, quote, order, job.verifiedHashes(), partial ? m : null);
        if (refusal.equals("unverified_payment") && (timing.deferred()
                && (partial || job.debt().map(RouterLedger.Debt::open).orElse(false))
                || RouterTiming.spareSettledOnOrder(quote))) {
            step.effect(new RouterAction.ParkMetering(job.jobId(), event)); // the node settled before the client proved
            step.count("4407:awaiting_proof");
            return;
        }
        if (!refusal.isEmpty()) {
            step.refuse(FedaiKind.METERING_RECORD, refusal, event);
            return;
        }
        step.journal(new RouterAction.AppendMetering(job.jobId(), quote.quoteId(), event, record,
                job.state() != RouterJobState.METERED, m.spec() == null ? "" : m.spec().task(), partial,
                nowMs / 1000, timing.durability()));
    }

    /** Empty when the record matches; {@code partialInput} is the input when the job is partial, else null. */
    private static String refusal(MeteringRecord record, RouterQuoteRow quote, RouterLedger.WorkOrderRow order,
            Set<String> verified, RouterInput.MeteringReceived partialInput) {
        if (!record.client().equals(quote.client().hex())) {
            return "wrong_client";
        }
        if (partialInput != null) {
            return record.paymentHashes().size() != 1 || partialInput.spec() == null
                    || !PaymentTiming.isPartPrice(quote.nodePrice().value(), (int) partialInput.spec().units(),
                            record.priceMsat())
                    ? "price_mismatch" : !verified.containsAll(record.paymentHashes()) ? "unverified_payment" : "";
        }
        return record.priceMsat() != quote.nodePrice().value() ? "price_mismatch"
                : !verified.containsAll(record.paymentHashes()) ? "unverified_payment"
                : order.authorization() == WorkAuthorization.PAID && record.paymentHashes().isEmpty()
                        ? "missing_payment_hashes" : "";
    }

    void onMeteringJournaled(RouterInput.MeteringJournaled j, Step step, long nowMs) {
        RouterAction.AppendMetering m = j.request();
        RouterQuoteRow quote = step.job().quote(m.quoteId()).orElseThrow();
        MeteringRecord record = m.record();
        if (m.first()) {
            long latencyMs = Math.max(0, nowMs - quote.createdAtMs());
            step.journal(new RouterAction.SetLatency(m.jobId(), latencyMs));
            step.effect(new RouterAction.NodeDelivered(quote.node(), latencyMs));
            if (!m.partial()) { // a part's units are not the job's: no throughput to judge from one part
                step.effect(new RouterAction.Metered(m.jobId(), quote.node(), m.task(), record.units()));
            }
        }
        Event receipt = EventSigner.sign(MeteringCodecs.encodeReceipt(new MeteringReceipt(m.recordEvent().id(),
                m.jobId().hex(), quote.node().hex(), quote.client().hex(), record.units(), record.priceMsat(), j.seq()),
                nowMs / 1000),
                keys);
        step.journal(new RouterAction.SetReceipt(EventId.of(m.recordEvent().id()), EventId.of(receipt.id()),
                m.durability()));
        step.effect(new RouterAction.Publish(receipt));
        step.count("4408:sent");
        if (m.first()) {
            step.effect(new RouterAction.Finished(m.jobId()));
        }
    }
}
