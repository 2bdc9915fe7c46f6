package org.fedai.roles.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.Quote;

/**
 * One job's state on the client side. Changed only by {@link ClientJobMachine}, on the client's one job thread
 * ({@link ClientRole}); other threads read no more than {@link #finished()}.
 */
final class ClientJob {

    enum State { SPEC_SENT, QUOTED, PAYING, PAID, DONE, FAILED }

    final JobId jobId;
    final JobSubmission submission;
    final JobRequest.Spec spec;
    final PublicKey router;
    /** The spec's created_at (epoch seconds): the spec is rebuilt from it after a restart. */
    final long createdAt;
    final long startedNanos = System.nanoTime();
    /** Shared by every attempt of one submission (one per router tried). */
    final CompletableFuture<JobOutcome> outcome;
    /** The routers to try after this one, in order, should it give no quote (empty after a restart). */
    final List<PublicKey> laterRouters;
    final List<JobResult> parts = new ArrayList<>();
    volatile State state = State.SPEC_SENT;
    Quote quote;
    EventId quoteEventId;
    int quotes;
    /** What the journal holds paid for this job, by invoice. */
    final Map<String, Msat> paid = new LinkedHashMap<>();
    /** Payments retried after the wallet did not answer (see PaymentRetry). */
    int payRetries;
    boolean invoicePaid;
    /** Abandoned for the next router for want of a quote: finished, but the outcome belongs to the next attempt. */
    boolean failedOver;
    /**
     * The result was handed over before the wallet answered the node's payment (run_on_payment: the node ran on it), so
     * the job still owes the router its proof: the client does not close before it went out (ClientRole#close).
     */
    boolean proofOwed;
    /** Events of the node that came before the quote (see ClientJobMachine), replayed once it is in. */
    private final List<Event> early = new ArrayList<>();
    static final int MAX_EARLY = 16;
    /** The job's timing's own state, made by the first flow that asks (see TimingState). */
    private TimingState timingState;

    ClientJob(JobId jobId, JobSubmission submission, JobRequest.Spec spec, PublicKey router, long createdAt) {
        this(jobId, submission, spec, router, createdAt, new CompletableFuture<>(), List.of());
    }

    ClientJob(JobId jobId, JobSubmission submission, JobRequest.Spec spec, PublicKey router, long createdAt,
            CompletableFuture<JobOutcome> outcome, List<PublicKey> laterRouters) {
        this.jobId = jobId;
        this.createdAt = createdAt;
        this.submission = submission;
        this.spec = spec;
        this.router = router;
        this.outcome = outcome;
        this.laterRouters = List.copyOf(laterRouters);
    }

    /** Keeps an early event unless {@link #MAX_EARLY} are kept already; true when it is (or was) kept. */
    boolean keepEarly(Event e) {
        if (early.size() >= MAX_EARLY || early.stream().anyMatch(k -> k.id().equals(e.id()))) {
            return early.size() < MAX_EARLY;
        }
        return early.add(e);
    }

    List<Event> takeEarly() {
        List<Event> out = List.copyOf(early);
        early.clear();
        return out;
    }

    /** Still waiting for the router's first quote. */
    boolean awaitingQuote() {
        return state == State.SPEC_SENT;
    }

    /** What the journal holds paid for the job, node and router together. */
    Msat paidMsat() {
        return paid.values().stream().reduce(Msat.ZERO, Msat::plus);
    }

    /**
     * The spec a submission makes at {@code createdAt}: the same on the first run and after a restart. It says the
     * client pays invoices its quote carries (ClientJobMachine#payQuotedInvoice), which lets a router quote a node's
     * spare invoice and its own spare fee invoice.
     */
    static JobRequest.Spec specOf(JobSubmission submission, long createdAt) {
        JobRequest.Input probe = new JobRequest.Input("", submission.texts(), submission.params(), 0);
        long deadline = createdAt + submission.deliverWithinSeconds();
        return new JobRequest.Spec(submission.model(), submission.task(), probe.commitment(), probe.bytes(),
                submission.units(), submission.maxPrice().value(), submission.constraints(), submission.timing(), deadline,
                deadline, true);
    }

    /** The timing's state as it stands, null before the first payment step. */
    TimingState timingState() {
        return timingState;
    }

    /** The state of a {@code before} job: the node's invoice and what its payment sequence paid so far. */
    TimingState.Before before() {
        if (timingState == null) {
            timingState = new TimingState.Before();
        }
        return (TimingState.Before) timingState;
    }

    /** The state of a deferred timing (after, hold, atomic) or external. */
    TimingState.Deferred deferred() {
        if (timingState == null) {
            timingState = new TimingState.Deferred();
        }
        return (TimingState.Deferred) timingState;
    }

    /** The state of a partial job, part by part. */
    TimingState.Parts partial() {
        if (timingState == null) {
            timingState = new TimingState.Parts();
        }
        return (TimingState.Parts) timingState;
    }

    boolean finished() {
        return state == State.DONE || state == State.FAILED;
    }
}
