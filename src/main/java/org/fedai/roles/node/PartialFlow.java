package org.fedai.roles.node;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentTiming;
import org.fedai.runner.Runner;
import org.fedai.runner.StreamSink;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;
import org.fedai.store.NodeParts;
import org.fedai.store.Outbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timing {@code partial} (market-flow.md): one input text per part, one hold invoice per part for a journalled
 * preimage. A part runs once the wallet holds its payment, is delivered (4406 and 4407 for that part) and only then
 * settled; the next part's invoice follows. A failure cancels the open part's invoice, so the client pays for
 * exactly the parts it received. Runs on the node's state thread; runner calls go to {@code workers}.
 */
final class PartialFlow {

    private static final Logger LOG = LoggerFactory.getLogger(PartialFlow.class);

    private final NodeSteps machine;
    private final NodeJobJournal journal;
    private final NodeParts parts;
    private final NodeEvents events;
    private final NodeOutbox outbox;
    private final NodeBilling billing;
    private final HoldFlow hold;
    private final Runner runner;
    private final Executor workers;
    private final Consumer<Runnable> onState;
    private final InstantSource clock;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    PartialFlow(NodeSteps machine, NodeJobJournal journal, NodeEvents events, NodeOutbox outbox,
            NodeBilling billing, HoldFlow hold, Runner runner, Executor workers, Consumer<Runnable> onState,
            InstantSource clock) {
        this.machine = machine;
        this.journal = journal;
        this.parts = journal.parts();
        this.events = events;
        this.outbox = outbox;
        this.billing = billing;
        this.hold = hold;
        this.runner = runner;
        this.workers = workers;
        this.onState = onState;
        this.clock = clock;
    }

    static int partsOf(NodeJob job) {
        return (int) job.terms().units();
    }

    /** On acceptance: the first part's invoice. */
    void start(NodeJob job) {
        invoice(job, 1);
    }

    /**
     * Moves a job on: settles delivered parts, runs the next part once its payment is held, invoices the part
     * after a delivered one, finishes after the last. Called on the work order, the input, and every sweep.
     */
    void advance(NodeJob job) {
        if (job.state().terminal() || job.order().isEmpty() || job.input().isEmpty() || running.contains(job.jobId())) {
            return;
        }
        List<NodeParts.Part> known = parts.of(job.jobId());
        known.stream().filter(p -> p.delivered() && !p.settled()).forEach(p -> settle(job, p));
        int n = partsOf(job);
        int next = 1;
        while (next <= n && delivered(known, next)) {
            next++;
        }
        if (next > n) {
            if (parts.of(job.jobId()).stream().allMatch(NodeParts.Part::settled)) {
                finish(job, known);
            }
            return; // a part the wallet did not settle yet is tried again on the next sweep
        }
        int part = next;
        Optional<NodeParts.Part> current = known.stream().filter(p -> p.part() == part).findFirst();
        if (current.flatMap(NodeParts.Part::invoice).isEmpty()) {
            invoice(job, part);
            return;
        }
        String hash = current.get().invoice().get().paymentHash();
        if (billing.state(hash).filter(InvoiceState.HELD::equals).isEmpty()) {
            return; // not paid (yet): asked again on the next sweep
        }
        run(job, part);
    }

    /** Fails partial jobs past their deadline (cancelling the open part), and moves the others on. */
    void sweep() {
        long now = now();
        for (NodeJob job : journal.openJobs()) {
            if (!job.partial() || (job.state() != NodeJobState.PAID && job.state() != NodeJobState.RUNNING)) {
                continue;
            }
            if (now > job.order().map(NodeJob.Order::deliverBy).orElse(job.terms().deliverBy())) {
                machine.fail(job, "deliver_by passed after " + deliveredCount(job) + " of " + partsOf(job) + " parts",
                        null);
            } else {
                advance(job);
            }
        }
    }

    /** The open (issued, undelivered) part's invoice is cancelled: a held payment goes back to the client. */
    void cancelOpen(NodeJob job) {
        parts.of(job.jobId()).stream().filter(p -> !p.delivered()).forEach(p -> p.invoice()
                .ifPresent(i -> billing.cancel(i.paymentHash())));
    }

    private void run(NodeJob job, int part) {
        if (!running.add(job.jobId())) {
            return;
        }
        long now = now();
        if (job.state() != NodeJobState.RUNNING) {
            journal.start(job.jobId(), now, List.of(events.status(job, JobStatus.State.PROCESSING, "", now)));
            outbox.flush();
        }
        String text = job.input().orElseThrow().texts().get(part - 1);
        try {
            workers.execute(() -> {
                JobExecution.Outcome outcome = JobExecution.run(runner, job.terms().model(), job.terms().task(),
                        List.of(text), job.input().orElseThrow().params(), StreamSink.DISCARD);
                onState.accept(() -> done(job.jobId(), part, outcome));
            });
        } catch (RejectedExecutionException closing) {
            running.remove(job.jobId());
        }
    }

    private void done(String jobId, int part, JobExecution.Outcome outcome) {
        running.remove(jobId);
        NodeJob job = journal.job(jobId).orElseThrow();
        if (machine.closed() || job.state() != NodeJobState.RUNNING) {
            return;
        }
        long now = now();
        switch (outcome) {
            case JobExecution.Outcome.Failed f -> machine.fail(job, "part " + part + ": " + f.reason(), null);
            case JobExecution.Outcome.Done d -> {
                NodeParts.Part p = parts.of(jobId).stream().filter(x -> x.part() == part).findFirst().orElseThrow();
                long price = PaymentTiming.partPriceMsat(job.terms().priceMsat(), partsOf(job), part);
                NodeJob.Outcome metered = new NodeJob.Outcome(job.outcome().map(NodeJob.Outcome::startedAt).orElse(now),
                        now, org.fedai.protocol.JobResult.sha256(d.output()), d.units(), d.unit(), "");
                List<Outbound> out;
                try {
                    out = List.of(events.partResult(job, part, partsOf(job), d, now),
                            events.partMetering(job, metered, price, p.invoice().orElseThrow().paymentHash(), now));
                } catch (IllegalArgumentException tooLarge) {
                    machine.fail(job, "part " + part + ": " + tooLarge.getMessage(), null);
                    return;
                }
                parts.deliver(jobId, part, out);
                outbox.flush();
                advance(journal.job(jobId).orElseThrow()); // settle it, then invoice the next or finish
            }
        }
    }

    private void settle(NodeJob job, NodeParts.Part p) {
        NodeJob.InvoiceRef invoice = p.invoice().orElseThrow();
        if (billing.settle(invoice.paymentHash(), Hex.decode(p.preimage()))) {
            parts.settled(job.jobId(), p.part());
        } else {
            LOG.warn("job {} part {}: the wallet did not settle {}", job.jobId(), p.part(), invoice.paymentHash());
        }
    }

    private void finish(NodeJob job, List<NodeParts.Part> known) {
        long now = now();
        // the whole job's hash commits to the parts' hashes in order (each part's output is hashed in its 4406)
        StringBuilder hashes = new StringBuilder();
        for (NodeParts.Part p : known) {
            hashes.append(p.invoice().map(NodeJob.InvoiceRef::paymentHash).orElse(""));
        }
        NodeJob.Outcome outcome = new NodeJob.Outcome(job.outcome().map(NodeJob.Outcome::startedAt).orElse(now), now,
                Hex.encode(Sha256.hash(hashes.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                partsOf(job), "part", "");
        journal.finish(job.jobId(), outcome, now, List.of(events.status(job, JobStatus.State.SUCCESS, "", now)));
        outbox.flush();
        machine.finished(job.jobId());
    }

    private void invoice(NodeJob job, int part) {
        long now = now();
        String preimage = parts.keepPreimage(job.jobId(), part, Hex.encode(hold.freshPreimage()));
        long price = PaymentTiming.partPriceMsat(job.terms().priceMsat(), partsOf(job), part);
        switch (billing.holdInvoice(job, price, Sha256.hash(Hex.decode(preimage)))) {
            case NodeBilling.Issued.Invoice i -> {
                parts.recordInvoice(job.jobId(), part, i.ref(),
                        List.of(events.partInvoice(job, i.ref(), part, partsOf(job), price, now)));
                outbox.flush();
            }
            case NodeBilling.Issued.Refused r -> machine.fail(job, "wallet could not invoice part " + part + ": "
                    + r.reason(), null);
        }
    }

    private int deliveredCount(NodeJob job) {
        return (int) parts.of(job.jobId()).stream().filter(NodeParts.Part::delivered).count();
    }

    private static boolean delivered(List<NodeParts.Part> known, int part) {
        return known.stream().anyMatch(p -> p.part() == part && p.delivered());
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
