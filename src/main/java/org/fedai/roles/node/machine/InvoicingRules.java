package org.fedai.roles.node.machine;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.fedai.nostr.Hex;
import org.fedai.protocol.JobStatus;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobState;

/**
 * Acceptance and invoices (pure, part of {@link NodeJobMachine}): the node accepts a quoted job, then asks its wallet
 * for what the timing invoices at acceptance (a plain invoice, one kept for the result, a hold invoice for a preimage
 * journalled first, the first part's), or takes the spare its quote carried; and records the wallet's answer.
 */
final class InvoicingRules {

    private final NodeEvents events;
    private final NodeJobMachine machine;
    private final PartRules parts;
    private final Supplier<byte[]> freshPreimages;

    InvoicingRules(NodeEvents events, NodeJobMachine machine, PartRules parts, Supplier<byte[]> freshPreimages) {
        this.events = events;
        this.machine = machine;
        this.parts = parts;
        this.freshPreimages = freshPreimages;
    }

    /** {@code accepted} out first (an invoice may take a while), then what the timing invoices. */
    void accept(NodeStep step, long now) {
        NodeJob job = step.job();
        step.add(new NodeAction.Accept(job.jobId(), List.of(events.status(job, JobStatus.State.ACCEPTED, "", now))));
        step.add(new NodeAction.PublishOutbox()); // before the wallet is asked: an invoice may take a while
        step.becomes(NodeStep.inState(job, NodeJobState.ACCEPTED, now));
        bill(step);
    }

    /** What the timing invoices once the job is accepted (again after a restart, or a wallet that did not answer). */
    void bill(NodeStep step) {
        NodeJob job = step.job();
        NodeTiming timing = NodeTiming.of(job);
        if (job.invoice().isPresent() && (timing.paidBeforeWork() || timing.runsOnHeldPayment())) {
            // the quote carried a spare the node made ahead (a hold one under hold, its preimage kept with the job):
            // the client holds it already, so no 4402 goes out (under external, the 4402 that reveals its preimage
            // once settled still does: ExternalSettlement)
            step.add(new NodeAction.RecordInvoice(job.jobId(), job.invoice().get(), NodeJobState.INVOICED, List.of()));
            step.becomes(NodeStep.inState(job, NodeJobState.INVOICED, step.job().updatedAt()));
            return;
        }
        if (job.invoice().isPresent() && timing.keepsInvoiceUntilDelivery()) {
            return; // pay-after work quoted with a spare: that is the invoice kept for the result, nothing to make
        }
        switch (timing.atAcceptance()) {
            case INVOICE -> step.add(new NodeAction.MakeInvoice(job.jobId(), 0, job.terms().price(), null,
                    NodeJobState.INVOICED));
            case INVOICE_KEPT -> step.add(NodeAction.MakeInvoice.kept(job.jobId(), job.terms().price()));
            case HOLD_INVOICE -> invoiceHold(step);
            case FIRST_PART -> parts.invoiceFirst(step);
            case NONE -> { }
        }
    }

    /** {@code hold}: the preimage is kept first (or reused), then the hold invoice for its hash is asked for. */
    void invoiceHold(NodeStep step) {
        NodeJob job = step.job();
        // the router orders hold work before the payment is locked: an ordered job keeps its state when invoiced
        NodeJobState next = job.state() == NodeJobState.PAID ? NodeJobState.PAID : NodeJobState.INVOICED;
        step.add(new NodeAction.MakeInvoice(job.jobId(), 0, job.terms().price(), NodeJobMachine.hashOf(preimage(step)), next));
    }

    /** The job's kept preimage, or a fresh one journalled now, before any invoice names its hash. */
    private String preimage(NodeStep step) {
        Optional<String> kept = step.view().preimage();
        if (kept.isPresent()) {
            return kept.get();
        }
        String fresh = Hex.encode(freshPreimages.get());
        step.add(new NodeAction.KeepPreimage(step.jobId(), fresh));
        step.keptPreimage(fresh);
        return fresh;
    }

    void onInvoiced(NodeInput.Invoiced in, NodeStep step, long now) {
        NodeAction.MakeInvoice asked = in.asked();
        if (asked.part() > 0) {
            parts.onInvoiced(step, asked, in.answer(), now);
            return;
        }
        NodeJob job = step.job();
        boolean kept = asked.kept();
        switch (in.answer()) {
            case InvoiceAnswer.Issued issued when job.state().terminal() && job.state() != NodeJobState.DONE -> { }
            case InvoiceAnswer.Issued issued when (kept || asked.next() == NodeJobState.DONE)
                    && job.invoice().filter(i -> i.expiresAt() > now + NodeJobMachine.KEPT_INVOICE_MARGIN_SECONDS).isPresent() ->
                    // the kept invoice and the one asked for at delivery crossed: the first recorded is the one
                    step.add(new NodeAction.Warn("job " + job.jobId() + ": a second invoice, not sent"));
            case InvoiceAnswer.Issued issued when kept && job.state() != NodeJobState.DONE ->
                    step.add(new NodeAction.RecordInvoice(job.jobId(), issued.ref(), job.state(), List.of()));
            case InvoiceAnswer.Issued issued -> {
                NodeJobState next = kept ? NodeJobState.DONE : asked.next(); // kept but delivered first: send it now
                step.add(new NodeAction.RecordInvoice(job.jobId(), issued.ref(), next,
                        List.of(events.invoice(job, issued.ref(), now))));
                step.add(new NodeAction.PublishOutbox());
            }
            case InvoiceAnswer.Refused r -> {
                step.add(new NodeAction.Warn("job " + job.jobId() + ": wallet refused the invoice: " + r.reason()
                        + " " + r.detail()));
                if (!kept && asked.next() != NodeJobState.DONE && !r.unanswered()) {
                    machine.fail(step, "wallet could not invoice: " + r.reason(), "", null, now);
                } // unanswered (a wallet restarting, its relay down): the sweep asks again until the deadline
            }
        }
    }
}
