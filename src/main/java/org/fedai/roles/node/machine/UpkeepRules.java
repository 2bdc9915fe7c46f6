package org.fedai.roles.node.machine;

import static org.fedai.roles.node.machine.NodeJobMachine.INPUT_MISSING;

import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobState;

/**
 * The node's jobs over time (pure, part of {@link NodeJobMachine}): after a restart each open job is carried on or
 * failed on its deadline, and every sweep fails what waited too long, asks a wallet that gave no answer again, runs
 * what is now paid and follows up what is owed after delivery.
 */
final class UpkeepRules {

    private final NodeJobMachine machine;
    private final InvoicingRules invoicing;
    private final PartRules parts;
    private final SettlementRules settlement;

    UpkeepRules(NodeJobMachine machine, InvoicingRules invoicing, PartRules parts, SettlementRules settlement) {
        this.machine = machine;
        this.invoicing = invoicing;
        this.parts = parts;
        this.settlement = settlement;
    }

    /** After a restart, an open job: carried on where it stopped, or failed if its deadline passed. */
    void onResume(NodeStep step, long now) {
        NodeJob job = step.job();
        switch (job.state()) {
            case QUOTED, ACCEPTED, INVOICED -> {
                if (!lateUnauthorised(step, false, now)) {
                    if (job.state() == NodeJobState.QUOTED) {
                        invoicing.accept(step, now);
                    } else if (job.state() == NodeJobState.ACCEPTED && NodeTiming.of(job).runsWithoutOrder()
                            && job.input().isPresent()) {
                        machine.startRun(step, now); // free work with its input: it runs without the order
                    } else if (job.state() == NodeJobState.ACCEPTED) {
                        invoicing.bill(step); // a hold invoice reuses the preimage kept before the crash
                    } else if (NodeTiming.runsOnOwnSettlement(job) && job.invoice().isPresent()) {
                        // its wallet may have reported the settlement while the node was down: it does not again
                        step.add(new NodeAction.AskWallet(job.jobId(), NodeAction.Question.PAID_TO_RUN,
                                job.invoice().get().paymentHash(), 0, false));
                    }
                }
            }
            case PAID -> {
                if (NodeTiming.of(job).partial()) {
                    parts.sweep(step, now);
                } else if (job.input().isPresent()) {
                    machine.startRun(step, now);
                }
            }
            // RUNNING: it never reached DONE, so its result was never queued: run it again
            case RUNNING -> {
                if (now > deliverBy(job)) {
                    machine.fail(step, "node restarted after deliver_by", "", null, now);
                } else {
                    machine.startRun(step, now);
                }
            }
            case DONE -> settlement.owed(step, now);
            case FAILED -> { }
        }
    }

    /**
     * The sweep: fails what waited past its deadline, asks a wallet that gave no answer again, runs a hold job whose
     * payment is now held, moves partial jobs on; a DONE job (listed as owed) gets what it is owed.
     */
    void onSweep(NodeStep step, long now) {
        NodeJob job = step.job();
        NodeTiming timing = NodeTiming.of(job);
        switch (job.state()) {
            case DONE -> settlement.owed(step, now);
            case FAILED -> { }
            case QUOTED, ACCEPTED, INVOICED -> {
                if (lateUnauthorised(step, true, now)) {
                    return;
                }
                if (job.state() == NodeJobState.ACCEPTED && timing.paidBeforeWork()) {
                    invoicing.bill(step); // the wallet gave no answer before: ask again
                } else if (timing.runsOnHeldPayment() && job.state() == NodeJobState.ACCEPTED
                        && job.invoice().isEmpty()) {
                    invoicing.invoiceHold(step);
                }
            }
            case PAID, RUNNING -> {
                if (job.state() == NodeJobState.PAID && now > deliverBy(job)) {
                    failLate(step, now);
                } else if (timing.partial()) {
                    parts.sweep(step, now);
                } else if (timing.runsOnHeldPayment() && job.state() == NodeJobState.PAID) {
                    if (job.invoice().isEmpty()) {
                        invoicing.invoiceHold(step); // ordered while the wallet gave no answer: the invoice is still owed
                    } else if (job.input().isPresent()) {
                        machine.startRun(step, now);
                    }
                }
            }
        }
    }

    /**
     * A job not yet authorised is given up once its quote expires (the client had to pay before then), unless the
     * node's wallet shows the invoice paid: then the work order may still come, until deliver_by. True when it
     * failed the job or asked the wallet.
     */
    private boolean lateUnauthorised(NodeStep step, boolean onSweep, long now) {
        NodeJob job = step.job();
        // a kept invoice (pay-after-work) was never sent, so it cannot have been paid
        boolean payable = job.invoice().isPresent() && !NodeTiming.of(job).keepsInvoiceUntilDelivery();
        if (now > job.terms().deliverBy() || (now > job.terms().quoteExpiresAt() && !payable)) {
            failUnauthorised(step, onSweep, now);
            return true;
        }
        if (now > job.terms().quoteExpiresAt()) {
            step.add(new NodeAction.AskWallet(job.jobId(), NodeAction.Question.PAID_PAST_EXPIRY,
                    job.invoice().get().paymentHash(), 0, onSweep));
            return true;
        }
        return false;
    }

    void failUnauthorised(NodeStep step, boolean onSweep, long now) {
        // without the client's input the error says so by code: the client's doing, not the node's (4405)
        machine.fail(step, "deadline passed before the job was authorised",
                onSweep && step.job().input().isEmpty() ? INPUT_MISSING : "", null, now);
    }

    private void failLate(NodeStep step, long now) {
        boolean noInput = step.job().input().isEmpty();
        machine.fail(step, noInput ? "input did not arrive before deliver_by" : "payment not held before deliver_by",
                noInput ? INPUT_MISSING : "", null, now);
    }

    /** The work order's deadline once there is one, the quote's before. */
    static long deliverBy(NodeJob job) {
        return job.order().map(NodeJob.Order::deliverBy).orElse(job.terms().deliverBy());
    }
}
