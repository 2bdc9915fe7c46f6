package org.fedai.roles.node.machine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobState;
import org.fedai.store.NodeParts;
import org.fedai.store.Outbound;

/**
 * Timing {@code partial} (market-flow.md): one input text per part, one hold invoice per part for a journalled
 * preimage. A part runs once the wallet holds its payment, is delivered (4406 and 4407 for that part) and only then
 * settled. Invoices go one part ahead of the work: the next part's is asked for with the current one's, so that the
 * client holds it when the current part's result comes and pays at once (the client still pays a part only once the
 * previous one is in hand; issue 17: 7 relay hops a further part to 3). A failure cancels the open parts' invoices,
 * so the client pays for exactly the parts it received. Pure, like the machine it belongs to.
 */
final class PartRules {

    private final NodeEvents events;
    private final NodeJobMachine machine;

    PartRules(NodeEvents events, NodeJobMachine machine) {
        this.events = events;
        this.machine = machine;
    }

    static int partsOf(NodeJob job) {
        return (int) job.terms().units();
    }

    /**
     * Moves the job on: settles delivered parts, asks whether the next part's payment is held (it then runs), invoices
     * the next part and the one after it, finishes after the last. On the work order, the input, every part's change
     * and every sweep.
     */
    void advance(NodeStep step, long now) {
        NodeJob job = step.job();
        if (job.state().terminal() || job.order().isEmpty() || job.input().isEmpty() || step.view().runInFlight()) {
            return;
        }
        List<NodeParts.Part> known = step.view().parts();
        known.stream().filter(p -> p.delivered() && !p.settled()).forEach(p -> step.add(new NodeAction.Settle(
                job.jobId(), p.part(), p.invoice().orElseThrow().paymentHash(), p.preimage())));
        int next = nextUndelivered(known);
        if (next > partsOf(job)) {
            if (known.stream().allMatch(NodeParts.Part::settled)) {
                finish(step, known, now);
            }
            return; // a part the wallet did not settle yet is tried again on the next sweep
        }
        Optional<NodeParts.Part> current = part(known, next);
        if (current.flatMap(NodeParts.Part::invoice).isEmpty()) {
            invoice(step, next);
        } else {
            // off the state thread: the client pays the next part only once the last is in its hands, and the
            // wallet's held report answers as this would
            step.add(new NodeAction.AskWallet(job.jobId(), NodeAction.Question.PART_HELD,
                    current.get().invoice().get().paymentHash(), next, true));
        }
        invoiceAhead(step, next);
    }

    /** At acceptance: the first part's invoice, and the second's one ahead. */
    void invoiceFirst(NodeStep step) {
        invoice(step, 1);
        invoiceAhead(step, 1);
    }

    /** The invoice of the part after {@code part}, unless there is none or it is made. */
    private void invoiceAhead(NodeStep step, int part) {
        if (part < partsOf(step.job()) && part(step.view().parts(), part + 1).flatMap(NodeParts.Part::invoice)
                .isEmpty()) {
            invoice(step, part + 1);
        }
    }

    /** The part's payment is held (or not yet): it runs if it is still the part to run. */
    void onHeld(NodeStep step, int part, boolean held, long now) {
        NodeJob job = step.job();
        boolean runnable = job.state() == NodeJobState.PAID || job.state() == NodeJobState.RUNNING;
        if (!held || !runnable || step.view().runInFlight() || nextUndelivered(step.view().parts()) != part) {
            return; // not paid (yet): asked again on the next sweep
        }
        machine.start(step, now);
        NodeJob.Input input = step.job().input().orElseThrow();
        step.add(new NodeAction.Run(step.job(), part, List.of(input.texts().get(part - 1)), input.params()));
    }

    /** A part came back from the runner: delivered (result and metering record in one write), or the job fails. */
    void onDelivered(NodeStep step, int part, RunOutcome outcome, long now) {
        NodeJob job = step.job();
        switch (outcome) {
            case RunOutcome.Failed f -> machine.fail(step, "part " + part + ": " + f.reason(), "", null, now);
            case RunOutcome.Done d -> {
                NodeParts.Part p = part(step.view().parts(), part).orElseThrow();
                long price = PaymentTiming.partPriceMsat(job.terms().price().value(), partsOf(job), part);
                NodeJob.Outcome metered = new NodeJob.Outcome(
                        job.outcome().map(NodeJob.Outcome::startedAt).orElse(now), now, JobResult.sha256(d.output()),
                        d.units(), d.unit(), "");
                List<Outbound> out;
                try {
                    out = List.of(events.partResult(job, part, partsOf(job), d, now),
                            events.partMetering(job, metered, Msat.of(price), p.invoice().orElseThrow().paymentHash(), now));
                } catch (IllegalArgumentException tooLarge) {
                    machine.fail(step, "part " + part + ": " + tooLarge.getMessage(), "", null, now);
                    return;
                }
                step.add(new NodeAction.DeliverPart(job.jobId(), part, out));
                step.add(new NodeAction.PublishOutbox());
                step.add(new NodeAction.MoveOn(job.jobId())); // settle it, then invoice the next or finish
            }
        }
    }

    void onSettled(NodeStep step, NodeAction.Settle asked, boolean settled) {
        if (settled) {
            step.add(new NodeAction.PartSettled(step.jobId(), asked.part()));
            step.add(new NodeAction.MoveOn(step.jobId()));
        } else {
            step.add(new NodeAction.Warn("job " + step.jobId() + " part " + asked.part()
                    + ": the wallet did not settle " + asked.paymentHash()));
        }
    }

    /** The preimage kept first (or reused after a crash), then the part's hold invoice for its hash. */
    void invoice(NodeStep step, int part) {
        NodeJob job = step.job();
        String preimage = part(step.view().parts(), part).map(NodeParts.Part::preimage).orElse(null);
        if (preimage == null) {
            preimage = machine.freshPreimageHex();
            step.add(new NodeAction.KeepPartPreimage(job.jobId(), part, preimage));
        }
        long price = PaymentTiming.partPriceMsat(job.terms().price().value(), partsOf(job), part);
        step.add(new NodeAction.MakeInvoice(job.jobId(), part, Msat.of(price), NodeJobMachine.hashOf(preimage),
                job.state()));
    }

    void onInvoiced(NodeStep step, NodeAction.MakeInvoice asked, InvoiceAnswer answer, long now) {
        NodeJob job = step.job();
        switch (answer) {
            // a part invoiced ahead whose job failed meanwhile: nothing will run for it, so nobody may pay it
            case InvoiceAnswer.Issued issued when job.state().terminal() ->
                    step.add(new NodeAction.Cancel(job.jobId(), issued.ref().paymentHash()));
            case InvoiceAnswer.Issued issued -> {
                step.add(new NodeAction.RecordPartInvoice(job.jobId(), asked.part(), issued.ref(),
                        List.of(events.partInvoice(job, issued.ref(), asked.part(), partsOf(job), asked.amount(),
                                now))));
                step.add(new NodeAction.PublishOutbox());
            }
            case InvoiceAnswer.Refused r when job.state().terminal() || r.unanswered() -> step.add(new NodeAction.Warn(
                    "job " + job.jobId() + " part " + asked.part() + ": no invoice: " + r.reason() + " " + r.detail()));
            // (unanswered: a wallet restarting, its relay down; the next advance or sweep asks again)
            case InvoiceAnswer.Refused r -> machine.fail(step, "wallet could not invoice part " + asked.part() + ": "
                    + r.reason(), "", null, now);
        }
    }

    /** The sweep: fails the job past its deadline (cancelling the open part), or moves it on. */
    void sweep(NodeStep step, long now) {
        NodeJob job = step.job();
        if (job.state() != NodeJobState.PAID && job.state() != NodeJobState.RUNNING) {
            return;
        }
        if (now > UpkeepRules.deliverBy(job)) {
            long delivered = step.view().parts().stream().filter(NodeParts.Part::delivered).count();
            machine.fail(step, "deliver_by passed after " + delivered + " of " + partsOf(job) + " parts", "", null,
                    now);
        } else {
            advance(step, now);
        }
    }

    /** The open (issued, undelivered) parts' invoices are cancelled: a held payment goes back to the client. */
    void cancelOpen(NodeStep step) {
        step.view().parts().stream().filter(p -> !p.delivered()).forEach(p -> p.invoice()
                .ifPresent(i -> step.add(new NodeAction.Cancel(step.jobId(), i.paymentHash()))));
    }

    private void finish(NodeStep step, List<NodeParts.Part> known, long now) {
        NodeJob job = step.job();
        // the whole job's hash commits to the parts' hashes in order (each part's output is hashed in its 4406)
        StringBuilder hashes = new StringBuilder();
        for (NodeParts.Part p : known) {
            hashes.append(p.invoice().map(NodeJob.InvoiceRef::paymentHash).orElse(""));
        }
        NodeJob.Outcome outcome = new NodeJob.Outcome(job.outcome().map(NodeJob.Outcome::startedAt).orElse(now), now,
                Hex.encode(Sha256.hash(hashes.toString().getBytes(StandardCharsets.UTF_8))), partsOf(job), "part", "");
        step.add(new NodeAction.Finish(job.jobId(), outcome, null,
                List.of(events.status(job, JobStatus.State.SUCCESS, "", now))));
        step.add(new NodeAction.PublishOutbox());
        step.becomes(NodeStep.finished(job, outcome, now));
        step.add(new NodeAction.Finished(job.jobId()));
    }

    private static int nextUndelivered(List<NodeParts.Part> known) {
        int next = 1;
        while (part(known, next).filter(NodeParts.Part::delivered).isPresent()) {
            next++;
        }
        return next;
    }

    private static Optional<NodeParts.Part> part(List<NodeParts.Part> known, int part) {
        return known.stream().filter(p -> p.part() == part).findFirst();
    }
}
