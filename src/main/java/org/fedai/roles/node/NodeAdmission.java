package org.fedai.roles.node;

import java.util.Optional;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Hex;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.Quote;
import org.fedai.protocol.WorkOrder;
import org.fedai.roles.node.machine.NodeTiming;
import org.fedai.runner.Runner;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobState;

/**
 * The node's own checks on a decoded quote or work order, beyond what the codecs check: who may send it,
 * whether it names this node, whether it pays. Each refusal is the reason code the role counts.
 */
final class NodeAdmission {

    /** Parts of a partial job: one invoice, payment and settlement each. */
    static final int MAX_PARTS = 64;

    private final NodeConfig config;
    private final Runner runner;
    private final PaymentBackend wallet;
    /** What the node's own wallet reported: a work order naming a payment it reported settled needs no question. */
    private final NodeBilling billing;

    NodeAdmission(NodeConfig config, Runner runner, PaymentBackend wallet, NodeBilling billing) {
        this.config = config;
        this.runner = runner;
        this.wallet = wallet;
        this.billing = billing;
    }

    /** Why the node will not take this quote; empty when it will. */
    Optional<String> quoteRefusal(Quote q, String sender, long now) {
        String me = config.keys().publicKey();
        if (!q.node().equals(me) && !q.fallback().equals(me)) {
            return Optional.of("not_named");
        }
        if (!config.routers().isRouter(PublicKey.of(sender))) {
            return Optional.of("not_a_router");
        }
        if (q.acceptBy() < now) {
            return Optional.of("expired");
        }
        if (!config.offeredTimings().contains(q.timing())) {
            return Optional.of("timing_not_offered");
        }
        if (q.timing() == PaymentTiming.PARTIAL && (q.units() < 1 || q.units() > MAX_PARTS
                || q.nodePriceMsat() < q.units())) {
            return Optional.of("unpartable"); // one part per text, each at least 1 msat
        }
        if (JobExecution.taskType(q.task()).map(t -> !runner.serves(q.model(), t)).orElse(true)) {
            return Optional.of("unsupported_model");
        }
        if (q.timing() == PaymentTiming.FREE) {
            // free only if this node gives the work away: a node that charges is never talked into free work
            return config.priceFor(q.units()).isZero() ? Optional.empty() : Optional.of("underpriced");
        }
        if (q.nodePriceMsat() <= 0 || q.nodePriceMsat() < config.priceFor(q.units()).value()) {
            return Optional.of("underpriced");
        }
        return Optional.empty();
    }

    /**
     * Why the node will not run the job on this work order; empty when it will. {@code intoHoldSpare}: a before job
     * quoted with the node's hold spare, ordered before any payment is settled (the node settles it on this order,
     * once its wallet holds it).
     */
    Optional<String> orderRefusal(NodeJob job, WorkOrder o, PublicKey sender, boolean intoHoldSpare) {
        if (!sender.equals(job.terms().router())) {
            return Optional.of("wrong_router");
        }
        if (job.order().isPresent()) {
            return Optional.of("replayed_work_order"); // a job runs once, whatever the router sends
        }
        NodeTiming timing = NodeTiming.of(job);
        // free work, or run-on-payment work its wallet showed paid, may be delivered before its order came: the
        // order is kept as confirmation and nothing runs again
        boolean ranBeforeOrder = job.state() == NodeJobState.DONE
                && (timing.runsWithoutOrder() || NodeTiming.runsOnOwnSettlement(job));
        if (job.state().terminal() && !ranBeforeOrder) {
            return Optional.of("job_closed");
        }
        if (!o.client().equals(job.terms().client().hex())
                || WorkAuthorization.forTiming(job.terms().timing()) != o.authorization()) {
            return Optional.of("inconsistent");
        }
        if (!timing.paidBeforeWork()) {
            return Optional.empty(); // deferred or free: hold jobs run once the wallet holds the payment, the others pay after
        }
        Optional<NodeJob.InvoiceRef> invoice = job.invoice();
        if (invoice.isEmpty() || !o.paymentHashes().contains(invoice.get().paymentHash())) {
            return Optional.of("unpaid");
        }
        if (intoHoldSpare) {
            // the client's payment is locked in the job's hold spare, the node's to settle: the machine runs the job
            // once its wallet holds that payment, and settles it then (the order came on the node's accepted, or on
            // the client's proof of the router's fee)
            return Optional.empty();
        }
        // The router verified a preimage; the node still trusts only its own wallet: what it reported (and, for a job
        // PAID, RUNNING or DONE before its order, already acted on), else asked now.
        boolean paidBeforeOrder = job.state() == NodeJobState.PAID || job.state() == NodeJobState.RUNNING
                || job.state() == NodeJobState.DONE;
        if (paidBeforeOrder || billing.reportedSettled(invoice.get().paymentHash())) {
            return Optional.empty();
        }
        LookupResult paid = wallet.lookup(Hex.decode(invoice.get().paymentHash()));
        return paid instanceof LookupResult.Found f && f.state() == InvoiceState.SETTLED ? Optional.empty()
                : Optional.of("unpaid");
    }

}
