package org.fedai.roles.node.machine;

import java.util.List;
import java.util.Optional;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobState;

/**
 * What the node is owed once a job is delivered (pure, part of {@link NodeJobMachine}): the invoice sent after the
 * result (pay-after-work) or the hold invoice for a locked result (atomic), the settlement of a held payment (hold),
 * and the metering record that names the payment once it is in.
 */
final class SettlementRules {

    /** An open invoice this long past its expiry is no longer asked about on every sweep. */
    static final long FORGET_AFTER_SECONDS = 3600;

    private final NodeEvents events;

    SettlementRules(NodeEvents events) {
        this.events = events;
    }

    /** A DONE job the journal lists as owed: its invoice, its settlement, or its payment's metering record. */
    void owed(NodeStep step, long now) {
        NodeJob job = step.job();
        switch (NodeTiming.of(job).afterDelivery()) {
            case INVOICE -> {
                if (job.invoice().isEmpty()) {
                    step.add(new NodeAction.MakeInvoice(job.jobId(), 0, job.terms().price(), null,
                            NodeJobState.DONE));
                } else {
                    step.add(new NodeAction.AskWallet(job.jobId(), NodeAction.Question.PAID_AFTER_WORK,
                            job.invoice().get().paymentHash(), 0, true));
                }
            }
            case SETTLE, INVOICE_LOCKED -> settleDelivered(step, now);
            case NOTHING -> { }
        }
    }

    /**
     * A hold job is settled as soon as it is delivered, without asking the wallet first: it ran only on the wallet's
     * word that the payment was held, and the wallet refuses to settle what it no longer holds (the sweep then asks,
     * as for any DONE job). Asking again would cost two relay hops over NWC on the way to the client's preimage.
     */
    void settleOnDelivery(NodeStep step) {
        NodeJob job = step.job();
        Optional<String> preimage = step.view().preimage();
        if (job.invoice().isPresent() && preimage.isPresent()) {
            step.add(new NodeAction.Settle(job.jobId(), 0, job.invoice().get().paymentHash(), preimage.get()));
        }
    }

    /** Atomic without its invoice gets it; a payment the wallet holds (or shows paid) is settled. */
    private void settleDelivered(NodeStep step, long now) {
        NodeJob job = step.job();
        Optional<String> preimage = step.view().preimage();
        if (preimage.isEmpty()) {
            step.add(new NodeAction.Warn("job " + job.jobId() + ": " + job.terms().timing().code()
                    + " job without its preimage"));
            return;
        }
        if (job.invoice().isEmpty()) {
            step.add(new NodeAction.MakeInvoice(job.jobId(), 0, job.terms().price(),
                    NodeJobMachine.hashOf(preimage.get()), NodeJobState.DONE));
            return;
        }
        NodeJob.InvoiceRef invoice = job.invoice().get();
        if (now <= invoice.expiresAt() + FORGET_AFTER_SECONDS) {
            step.add(new NodeAction.AskWallet(job.jobId(), NodeAction.Question.SETTLE_AFTER_DELIVERY,
                    invoice.paymentHash(), 0, true));
        }
    }

    /** The wallet's answer about a delivered job's payment. */
    void onWallet(NodeAction.AskWallet asked, boolean held, boolean settled, NodeStep step, long now) {
        if (asked.question() == NodeAction.Question.SETTLE_AFTER_DELIVERY && (held || settled)) {
            step.add(new NodeAction.Settle(step.jobId(), 0, asked.paymentHash(), step.view().preimage().orElseThrow()));
        } else if (asked.question() == NodeAction.Question.PAID_AFTER_WORK && settled) {
            recordSettlement(step, asked.paymentHash(), now);
        }
    }

    /** The wallet settled (or did not) a whole job's held payment: hold's on delivery, before's as it started. */
    void onSettled(NodeInput.SettleAnswered in, NodeStep step, long now) {
        NodeAction.Settle asked = in.asked();
        if (in.settled() && NodeTiming.of(step.job()).paidBeforeWork()) {
            return; // a before job's hold spare, settled as it started: its metering record names it at delivery
        }
        if (in.settled()) {
            recordSettlement(step, asked.paymentHash(), now);
        } else {
            step.add(new NodeAction.Warn("job " + step.jobId() + ": the wallet did not settle " + asked.paymentHash()));
        }
    }

    /** The payment is in: the metering record that names it (a second one after pay-after-work). */
    private void recordSettlement(NodeStep step, String paymentHash, long now) {
        NodeJob job = step.job();
        step.add(new NodeAction.RecordSettlement(job.jobId(),
                List.of(events.metering(job, job.outcome().orElseThrow(), List.of(paymentHash), now))));
        step.add(new NodeAction.PublishOutbox());
    }
}
