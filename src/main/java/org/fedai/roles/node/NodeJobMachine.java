package org.fedai.roles.node;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.fedai.nostr.Event;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.protocol.Rejection;
import org.fedai.protocol.WorkOrder;
import org.fedai.roles.common.Counters;
import org.fedai.runner.Runner;
import org.fedai.runner.StreamChunk;
import org.fedai.runner.StreamSink;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.Outbound;
import org.fedai.store.NodeJobJournal.ProcessedEvent;
import org.fedai.store.NodeJobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's job state machine: one handler per incoming kind, explicit transitions, each journalled with the
 * events it publishes before they go out (see {@link NodeJobJournal}). Every method runs on the role's single
 * state thread ({@code onState}); runner calls go to {@code workers} and come back through {@code onState}.
 */
final class NodeJobMachine implements NodeSteps {

    private static final Logger LOG = LoggerFactory.getLogger(NodeJobMachine.class);

    private final NodeConfig config;
    private final InstantSource clock;
    private final NodeJobJournal journal;
    private final NodeBilling billing;
    private final NodeJobRecovery recovery;
    private final HoldFlow hold;
    private final PartialFlow partial;
    private final ExternalSettlement external;
    private final Runner runner;
    private final NodeEvents events;
    private final NodeAdmission admission;
    private final NodeOutbox outbox;
    private final Executor workers;
    private final Consumer<Runnable> onState;
    private final Counters rejections = new Counters();
    private final Counters rejectionsByKind = new Counters();
    private final Set<String> running = new HashSet<>();
    private final InputIntake inputs;
    private final List<Consumer<NodeJobOutcome>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    NodeJobMachine(NodeConfig config, InstantSource clock, NodeJobJournal journal, PaymentBackend wallet,
            Runner runner, NodeOutbox outbox, Executor workers, Consumer<Runnable> onState) {
        this.config = config;
        this.clock = clock;
        this.journal = journal;
        this.billing = new NodeBilling(wallet, config.invoiceExpiry());
        this.runner = runner;
        this.events = new NodeEvents(config.keys());
        this.admission = new NodeAdmission(config, runner, wallet);
        this.outbox = outbox;
        this.workers = workers;
        this.onState = onState;
        this.hold = new HoldFlow(this, journal, events, outbox, billing, clock);
        this.partial = new PartialFlow(this, journal, events, outbox, billing, hold, runner, workers, onState, clock);
        this.inputs = new InputIntake(this, config, journal, events, outbox);
        this.external = new ExternalSettlement(journal, events, outbox, billing, clock);
        this.recovery = new NodeJobRecovery(this, journal, events, outbox, billing, hold, partial, clock);
    }

    Counters rejections() {
        return rejections;
    }

    /** The same rejections keyed {@code <kind>:<reason>}. */
    Counters rejectionsByKind() {
        return rejectionsByKind;
    }

    void addListener(Consumer<NodeJobOutcome> listener) {
        listeners.add(listener);
    }

    /** From now on a finished run is dropped: the journal keeps the job RUNNING for the next start. */
    void close() {
        closed = true;
    }

    @Override
    public boolean closed() {
        return closed;
    }

    /** A flow outside this class finished a job. */
    @Override
    public void finished(String jobId) {
        notifyOutcome(jobId);
    }

    private String publicKey() {
        return config.keys().publicKey();
    }

    // ---- handlers, one per incoming kind ----------------------------------------------------------------------

    void handle(Event e) {
        switch (FedaiKind.of(e.kind()).orElse(null)) {
            case QUOTE -> onQuote(e);
            case JOB_REQUEST -> onInput(e);
            case WORK_ORDER -> onWorkOrder(e);
            case null, default -> reject("wrong_kind", e, "kind " + e.kind());
        }
    }

    /** 4401: journal the job, publish {@code accepted}, invoice the client (unless pay-after-work). */
    private void onQuote(Event e) {
        long now = now();
        if (journal.processed(e.id())) {
            reject("duplicate", e, "quote already handled");
            return;
        }
        Quote q;
        switch (QuoteCodec.decode(e, config.keys(), now)) {
            case Decoded.Rejected<Quote> r -> {
                reject(r.rejection(), e);
                return;
            }
            case Decoded.Accepted<Quote> a -> q = a.value();
        }
        Optional<String> refusal = admission.quoteRefusal(q, e.pubkey(), now);
        if (refusal.isPresent()) {
            reject(refusal.get(), e, q.jobId());
            return;
        }
        NodeJob.Terms terms = new NodeJob.Terms(e.id(), e.pubkey(), q.client(), q.model(), q.task(), q.inputSha256(),
                q.units(), q.nodePriceMsat(), q.timing().code(), q.acceptBy(), q.deliverBy(), q.expiresAt());
        if (!journal.insertQuoted(q.jobId(), terms, processed(e, q.jobId()), now)) {
            reject("duplicate", e, "job " + q.jobId() + " already quoted");
            return;
        }
        accept(journal.job(q.jobId()).orElseThrow());
        inputs.quoted(q.jobId());
    }

    /** 4400 input: only from the quote's client, only the committed texts, within the node's size limit. */
    private void onInput(Event e) {
        inputs.onInput(e);
    }

    /** 4404: only from the quoting router, once per job, and for {@code paid} only if the wallet saw the money. */
    private void onWorkOrder(Event e) {
        long now = now();
        if (journal.processed(e.id())) {
            reject("duplicate", e, "work order already handled");
            return;
        }
        WorkOrder o;
        switch (PaymentCodecs.decodeWorkOrder(e, config.keys(), now)) {
            case Decoded.Rejected<WorkOrder> r -> {
                reject(r.rejection(), e);
                return;
            }
            case Decoded.Accepted<WorkOrder> a -> o = a.value();
        }
        Optional<NodeJob> found = journal.job(o.jobId());
        if (found.isEmpty()) {
            reject("unknown_job", e, o.jobId());
            return;
        }
        NodeJob job = found.get();
        Optional<String> refusal = admission.orderRefusal(job, o, e.pubkey());
        if (refusal.isPresent()) {
            reject(refusal.get(), e, job.jobId());
            return;
        }
        journal.authorize(job.jobId(), new NodeJob.Order(e.id(), o.authorization().code(), o.paymentHashes(),
                o.deliverBy()), processed(e, job.jobId()), now);
        if (job.input().isPresent()) {
            startRun(job.jobId());
        }
    }

    // ---- transitions ------------------------------------------------------------------------------------------

    @Override
    public void accept(NodeJob job) {
        long now = now();
        journal.accept(job.jobId(), now, List.of(events.status(job, JobStatus.State.ACCEPTED, "", now)));
        outbox.flush();
        if (job.payBeforeWork()) {
            invoice(job, NodeJobState.INVOICED);
        } else if (job.holdInvoice()) {
            hold.invoiceHold(job);
        } else if (job.partial()) {
            partial.start(job);
        }
    }

    /** Invoices the quoted price, bound to the job; {@code next} is INVOICED, or DONE after pay-after-work. */
    @Override
    public void invoice(NodeJob job, NodeJobState next) {
        long now = now();
        switch (billing.invoice(job)) {
            case NodeBilling.Issued.Invoice i -> {
                journal.recordInvoice(job.jobId(), i.ref(), next, now, List.of(events.invoice(job, i.ref(), now)));
                outbox.flush();
            }
            case NodeBilling.Issued.Refused r -> {
                LOG.warn("job {}: wallet refused the invoice: {} {}", job.jobId(), r.reason(), r.detail());
                if (next == NodeJobState.INVOICED && !r.unanswered()) {
                    fail(job, "wallet could not invoice: " + r.reason(), null);
                } // unanswered (a wallet restarting, its relay down): the sweep asks again until the quote expires
            }
        }
    }

    @Override
    public void startRun(String jobId) {
        if (journal.job(jobId).filter(NodeJob::partial).isPresent()) {
            partial.advance(journal.job(jobId).orElseThrow()); // part by part, each once paid
            return;
        }
        if (!running.add(jobId)) {
            return;
        }
        NodeJob job = journal.job(jobId).orElseThrow();
        if (job.holdInvoice() && job.state() == NodeJobState.PAID && !hold.held(job)) {
            running.remove(jobId); // pay on delivery: nothing runs until the client's payment is locked
            return;
        }
        if (job.state() != NodeJobState.RUNNING) {
            long now = now();
            journal.start(jobId, now, List.of(events.status(job, JobStatus.State.PROCESSING, "", now)));
            outbox.flush();
        }
        NodeJob.Input input = job.input().orElseThrow();
        try {
            workers.execute(() -> {
                JobExecution.Outcome outcome = JobExecution.run(runner, job.terms().model(), job.terms().task(),
                        input.texts(), input.params(), streamTo(job));
                onState.accept(() -> complete(jobId, outcome));
            });
        } catch (RejectedExecutionException e) {
            running.remove(jobId); // closing: the journal keeps it RUNNING, the next start re-runs it
        }
    }

    /** Streams generated text to the client as 24401 chunks; once the node closes, the run is cancelled. */
    private StreamSink streamTo(NodeJob job) {
        java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
        return chunk -> {
            if (closed) {
                throw new IllegalStateException("node closed");
            }
            if (chunk instanceof StreamChunk.TextDelta delta && !delta.text().isEmpty()) {
                outbox.sendUnjournalled(events.chunk(job, seq.getAndIncrement(), delta.text(), now()));
            }
        };
    }

    private void complete(String jobId, JobExecution.Outcome outcome) {
        running.remove(jobId);
        NodeJob job = journal.job(jobId).orElseThrow();
        if (closed || job.state() != NodeJobState.RUNNING) {
            return;
        }
        long now = now();
        switch (outcome) {
            case JobExecution.Outcome.Failed f -> fail(job, f.reason(), null);
            case JobExecution.Outcome.Done d -> {
                NodeJob.Outcome done = new NodeJob.Outcome(job.outcome().orElseThrow().startedAt(), now,
                        JobResult.sha256(d.output()), d.units(), d.unit(), "");
                List<String> hashes = job.payBeforeWork() ? List.of(job.invoice().orElseThrow().paymentHash())
                        : List.of();
                // atomic: the result goes out locked under a fresh preimage, journalled with it in one transaction
                byte[] preimage = job.atomic() ? hold.freshPreimage() : null;
                List<Outbound> out = new ArrayList<>();
                try {
                    out.addAll(preimage == null ? events.result(job, d, now)
                            : events.lockedResult(job, d, preimage, now));
                } catch (IllegalArgumentException tooLarge) {
                    fail(job, "output too large: " + tooLarge.getMessage(), null);
                    return;
                }
                out.add(events.status(job, JobStatus.State.SUCCESS, "", now));
                if (!job.holdInvoice()) {
                    out.add(events.metering(job, done, hashes, now)); // hold: metered once settled, with its hash
                }
                if (preimage == null) {
                    journal.finish(jobId, done, now, out);
                } else {
                    journal.finishLocked(jobId, done, org.fedai.nostr.Hex.encode(preimage), now, out);
                }
                outbox.flush();
                if (job.payAfterWork()) {
                    invoice(journal.job(jobId).orElseThrow(), NodeJobState.DONE);
                } else if (job.holdInvoice() || job.atomic()) {
                    // free work has no payment to settle (it used to land here and log a missing preimage)
                    hold.afterDone(journal.job(jobId).orElseThrow()); // hold: settle; atomic: invoice
                }
                notifyOutcome(jobId);
            }
        }
    }

    @Override
    public void fail(NodeJob job, String reason, ProcessedEvent cause) {
        fail(job, reason, "", cause);
    }

    /** {@code code}: the error status's machine-readable reason (4405), "" for none. */
    @Override
    public void fail(NodeJob job, String reason, String code, ProcessedEvent cause) {
        long now = now();
        journal.fail(job.jobId(), reason, now, List.of(events.status(job, JobStatus.State.ERROR, reason, code, now)),
                cause);
        // cancelled before the client hears of the error, so that it cannot pay in between
        billing.cancelIfUnordered(job);
        if (job.partial()) {
            partial.cancelOpen(job);
        }
        outbox.flush();
        notifyOutcome(job.jobId());
    }

    /** After a restart: finish what the journal says is open, fail what is past its deadline. */
    void resume() {
        recovery.resume();
    }

    /** Fails the jobs whose deadline passed while waiting, and retries events no relay has stored yet. */
    /** The wallet reported a settlement: an external job's preimage goes to its client at once. */
    PaymentBackend.Subscription watchSettlements(Consumer<Runnable> onState) {
        return billing.onSettled(hash -> onState.accept(() -> external.onSettled(hash)));
    }

    void sweep() {
        external.sweep();
        recovery.sweep();
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private void notifyOutcome(String jobId) {
        NodeJobOutcome outcome = NodeJobOutcome.of(publicKey(), journal.job(jobId).orElseThrow());
        listeners.forEach(l -> l.accept(outcome));
    }

    @Override
    public ProcessedEvent processed(Event e, String jobId) {
        return new ProcessedEvent(e.id(), e.kind(), jobId, e.createdAt());
    }

    @Override
    public void reject(Rejection rejection, Event e) {
        reject(rejection.reason().code(), e, rejection.detail());
    }

    @Override
    public void reject(String reason, Event e, String detail) {
        rejections.increment(reason);
        rejectionsByKind.increment(e.kind() + ":" + reason);
        LOG.info("rejected {} kind {} from {}: {} ({})", e.id(), e.kind(), e.pubkey(), reason, detail);
    }

    @Override
    public long now() {
        return clock.instant().getEpochSecond();
    }
}
