package org.fedai.roles.node;

import java.time.InstantSource;
import java.util.List;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;

/**
 * What the node does with jobs the journal holds open, at start-up and on every sweep: a job is either carried
 * on or failed on its deadline, never forgotten, and a paid job is never run twice (a job that reached DONE
 * had its result queued in the same transaction).
 */
final class NodeJobRecovery {

    /** The 4405 error reason when a job's deadline passed without the client's input. */
    static final String INPUT_MISSING = "input_missing";

    private final NodeSteps machine;
    private final NodeJobJournal journal;
    private final NodeEvents events;
    private final NodeOutbox outbox;
    private final NodeBilling billing;
    private final HoldFlow hold;
    private final PartialFlow partial;
    private final InstantSource clock;

    NodeJobRecovery(NodeSteps machine, NodeJobJournal journal, NodeEvents events, NodeOutbox outbox,
            NodeBilling billing, HoldFlow hold, PartialFlow partial, InstantSource clock) {
        this.machine = machine;
        this.journal = journal;
        this.events = events;
        this.outbox = outbox;
        this.billing = billing;
        this.hold = hold;
        this.partial = partial;
        this.clock = clock;
    }

    /** After a restart: finish what the journal says is open, fail what is past its deadline. */
    void resume() {
        long now = clock.instant().getEpochSecond();
        for (NodeJob job : journal.openJobs()) {
            switch (job.state()) {
                case QUOTED, ACCEPTED, INVOICED -> {
                    if (unauthorisedPastDeadline(job, now)) {
                        machine.fail(job, "deadline passed before the job was authorised", null);
                    } else if (job.state() == NodeJobState.QUOTED) {
                        machine.accept(job);
                    } else if (job.state() == NodeJobState.ACCEPTED && job.payBeforeWork()) {
                        machine.invoice(job, NodeJobState.INVOICED);
                    } else if (job.state() == NodeJobState.ACCEPTED && job.holdInvoice()) {
                        hold.invoiceHold(job); // reuses the journalled preimage if one was kept before the crash
                    } else if (job.state() == NodeJobState.ACCEPTED && job.partial()) {
                        partial.start(job);
                    }
                }
                case PAID -> {
                    if (job.input().isPresent()) {
                        machine.startRun(job.jobId());
                    }
                }
                // RUNNING: it never reached DONE, so its result was never queued: run it again
                case RUNNING -> {
                    if (now > deliverBy(job)) {
                        machine.fail(job, "node restarted after deliver_by", null);
                    } else {
                        machine.startRun(job.jobId());
                    }
                }
                default -> { }
            }
        }
        payAfterWork(now);
        hold.sweep();
        partial.sweep();
        outbox.flush();
    }

    /** Fails the jobs whose deadline passed while waiting, and retries events no relay has stored yet. */
    void sweep() {
        long now = clock.instant().getEpochSecond();
        for (NodeJob job : journal.openJobs()) {
            boolean late = switch (job.state()) {
                case QUOTED, ACCEPTED, INVOICED -> unauthorisedPastDeadline(job, now);
                case PAID -> now > deliverBy(job);
                default -> false;
            };
            if (late) {
                // without the client's input the error says so by code: the client's doing, not the node's (4405)
                machine.fail(job, job.state() != NodeJobState.PAID ? "deadline passed before the job was authorised"
                        : job.input().isPresent() ? "payment not held before deliver_by"
                        : "input did not arrive before deliver_by", job.input().isEmpty() ? INPUT_MISSING : "", null);
            } else if (job.state() == NodeJobState.ACCEPTED && job.payBeforeWork()) {
                machine.invoice(job, NodeJobState.INVOICED); // the wallet gave no answer before: ask again
            } else if (job.holdInvoice() && job.invoice().isEmpty()
                    && (job.state() == NodeJobState.ACCEPTED || job.state() == NodeJobState.PAID)) {
                // the wallet gave no answer before; a hold job may already be ordered (PAID) while it waits for it
                hold.invoiceHold(job); // reuses the journalled preimage
            }
        }
        payAfterWork(now);
        hold.sweep();
        partial.sweep();
        outbox.flush();
    }

    /**
     * Pay-after-work jobs delivered and not yet paid: the invoice is owed to the client until the wallet makes it
     * (a node killed between its result and its invoice, or a wallet down at that moment, invoices on the next
     * sweep), then the payment is watched for.
     */
    private void payAfterWork(long now) {
        for (NodeJob job : journal.awaitingPayment()) {
            if (job.invoice().isEmpty()) {
                machine.invoice(job, NodeJobState.DONE);
            } else {
                recordPayAfterSettlement(job, now);
            }
        }
    }

    /**
     * Pay-after-work: once the wallet says the invoice sent after the result is paid, a second metering record
     * names its payment hash (event-kinds/4407). Asked of the wallet, not heard from it, so that it also works
     * when the wallet lives in another process and after a restart.
     */
    private void recordPayAfterSettlement(NodeJob job, long now) {
        String hash = job.invoice().orElseThrow().paymentHash();
        if (billing.settled(hash)) {
            journal.recordSettlement(job.jobId(), now,
                    List.of(events.metering(job, job.outcome().orElseThrow(), List.of(hash), now)));
        }
    }

    /**
     * A job not yet authorised is given up once its quote expires (the client had to pay before then), unless
     * the node's wallet shows the invoice paid: then the router's work order may still come, until deliver_by.
     */
    private boolean unauthorisedPastDeadline(NodeJob job, long now) {
        if (now > job.terms().deliverBy()) {
            return true;
        }
        return now > job.terms().quoteExpiresAt()
                && !job.invoice().map(i -> billing.settled(i.paymentHash())).orElse(false);
    }

    /** The work order's deadline once there is one, the quote's before. */
    private static long deliverBy(NodeJob job) {
        return job.order().map(NodeJob.Order::deliverBy).orElse(job.terms().deliverBy());
    }
}
