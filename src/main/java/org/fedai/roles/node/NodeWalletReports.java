package org.fedai.roles.node;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.fedai.domain.JobId;
import org.fedai.nostr.Hex;
import org.fedai.payment.PaymentBackend;
import org.fedai.roles.node.machine.NodeAction;
import org.fedai.roles.node.machine.NodeInput;
import org.fedai.roles.node.machine.NodeTiming;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;

/**
 * The node's wallet's reports (NIP-47 {@code payment_received}, {@code hold_invoice_accepted}) turned into the answers
 * its jobs wait on: each report is the wallet's answer, as a lookup's would be, so no job asks again (two relay hops
 * over NWC) or waits for the next sweep. On the node's state thread.
 */
final class NodeWalletReports {

    private final NodeJobJournal journal;
    private final NodeBilling billing;
    private final ExternalSettlement external;
    private final SpareInvoices spares;
    private final Supplier<Set<JobId>> owed;
    private final BiConsumer<JobId, NodeInput> feed;

    /** {@code owed}: delivered jobs whose payment is not recorded yet; {@code feed}: one input to one job. */
    NodeWalletReports(NodeJobJournal journal, NodeBilling billing, ExternalSettlement external, SpareInvoices spares,
            Supplier<Set<JobId>> owed, BiConsumer<JobId, NodeInput> feed) {
        this.journal = journal;
        this.billing = billing;
        this.external = external;
        this.spares = spares;
        this.owed = owed;
        this.feed = feed;
    }

    /**
     * The wallet reported a settlement: a run-on-payment job runs now (the report is the wallet's answer), a work
     * order naming it runs without asking the wallet again, and an external job's preimage goes to its client at once.
     */
    PaymentBackend.Subscription watch(Consumer<Runnable> onState) {
        PaymentBackend.Subscription settled = billing.onSettled(hash -> onState.accept(() -> {
            external.onSettled(hash); // the reveal first: the client's proof then travels beside the run
            onSettled(Hex.encode(hash));
        }));
        PaymentBackend.Subscription held = billing.onHeld(hash -> onState.accept(() -> onHeld(Hex.encode(hash))));
        return () -> {
            settled.close();
            held.close();
        };
    }

    void onSettled(String paymentHash) {
        for (NodeJob job : journal.openJobs()) {
            if (NodeTiming.runsOnOwnSettlement(job) && job.state() == NodeJobState.INVOICED
                    && job.invoice().filter(i -> i.paymentHash().equals(paymentHash)).isPresent()) {
                feed.accept(job.jobId(), new NodeInput.WalletAnswered(new NodeAction.AskWallet(job.jobId(),
                        NodeAction.Question.PAID_TO_RUN, paymentHash, 0, false), Optional.of(InvoiceState.SETTLED)));
            }
        }
    }

    /**
     * The wallet reports a client's payment locked to one of our hold invoices (hold, atomic, partial). Its report is
     * its answer, as a lookup's would be: the held job runs, the delivered one settles (the wallet itself refuses to
     * settle what it does not hold), the part runs, now rather than at the next sweep (every 5 s by default) and
     * without asking again (two relay hops over NWC). A job in any other state is swept, as it would be.
     */
    void onHeld(String paymentHash) {
        Set<JobId> ids = new LinkedHashSet<>();
        journal.openJobs().forEach(j -> ids.add(j.jobId()));
        ids.addAll(owed.get());
        for (JobId id : ids) {
            Optional<NodeJob> job = journal.job(id);
            if (job.isPresent()) {
                heldAnswer(job.get(), paymentHash).ifPresent(answer -> feed.accept(id, answer));
            }
        }
        spares.onHeld(paymentHash); // a spare's whose quote has not come (yet)
    }

    private Optional<NodeInput> heldAnswer(NodeJob job, String paymentHash) {
        Optional<InvoiceState> held = Optional.of(InvoiceState.HELD);
        if (job.invoice().filter(i -> i.paymentHash().equals(paymentHash)).isPresent()) {
            NodeAction.Question question = job.state() == NodeJobState.DONE ? NodeAction.Question.SETTLE_AFTER_DELIVERY
                    : job.state() == NodeJobState.PAID ? NodeAction.Question.HELD_TO_RUN
                    // a before job quoted with its hold spare: the client's payment is locked, and the job runs
                    : job.state() == NodeJobState.INVOICED && NodeTiming.runsOnOwnSettlement(job)
                    ? NodeAction.Question.PAID_TO_RUN : null;
            return Optional.of(question == null ? new NodeInput.Swept() : new NodeInput.WalletAnswered(
                    new NodeAction.AskWallet(job.jobId(), question, paymentHash, 0, false), held));
        }
        if (!NodeTiming.of(job).partial()) {
            return Optional.empty();
        }
        return journal.parts().of(job.jobId()).stream()
                .filter(p -> p.invoice().filter(i -> i.paymentHash().equals(paymentHash)).isPresent())
                .findFirst().map(p -> new NodeInput.WalletAnswered(new NodeAction.AskWallet(job.jobId(),
                        NodeAction.Question.PART_HELD, paymentHash, p.part(), false), held));
    }
}
