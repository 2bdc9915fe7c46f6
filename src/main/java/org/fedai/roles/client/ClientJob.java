package org.fedai.roles.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.Quote;

/** One job's state on the client side; guarded by its own monitor. */
final class ClientJob {

    enum State { SPEC_SENT, QUOTED, PAYING, PAID, DONE, FAILED }

    final String jobId;
    final JobSubmission submission;
    final JobRequest.Spec spec;
    final String router;
    /** The spec's created_at (epoch seconds): the spec is rebuilt from it after a restart. */
    final long createdAt;
    final long startedNanos = System.nanoTime();
    /** Shared by every attempt of one submission (one per router tried). */
    final CompletableFuture<JobOutcome> outcome;
    final List<JobResult> parts = new ArrayList<>();
    volatile State state = State.SPEC_SENT;
    Quote quote;
    String quoteEventId;
    int quotes;
    long paidMsat;
    /** Payments retried after the wallet did not answer (see PaymentRetry). */
    int payRetries;
    boolean invoicePaid;
    /** Events of the node that came before the quote (see ClientRole#keptForQuote), replayed once it is in. */
    private final List<org.fedai.nostr.Event> early = new ArrayList<>();
    static final int MAX_EARLY = 16;

    synchronized boolean keepEarly(org.fedai.nostr.Event e) {
        if (early.size() >= MAX_EARLY || early.stream().anyMatch(k -> k.id().equals(e.id()))) {
            return early.size() < MAX_EARLY;
        }
        return early.add(e);
    }

    synchronized List<org.fedai.nostr.Event> takeEarly() {
        List<org.fedai.nostr.Event> out = List.copyOf(early);
        early.clear();
        return out;
    }

    /** Abandoned for the next router for want of a quote: finished, but the outcome belongs to the next attempt. */
    boolean failedOver;
    /**
     * Abandons this attempt for the next router, if there is one and no quote came yet (the reason is for the
     * progress display); true when it did. Null for the last router.
     */
    java.util.function.Predicate<String> nextRouter;
    /** The job's timing's own state, made by the first flow that asks (see TimingState). */
    private TimingState timingState;

    ClientJob(String jobId, JobSubmission submission, JobRequest.Spec spec, String router, long createdAt) {
        this(jobId, submission, spec, router, createdAt, new CompletableFuture<>());
    }

    ClientJob(String jobId, JobSubmission submission, JobRequest.Spec spec, String router, long createdAt,
            CompletableFuture<JobOutcome> outcome) {
        this.jobId = jobId;
        this.createdAt = createdAt;
        this.submission = submission;
        this.spec = spec;
        this.router = router;
        this.outcome = outcome;
    }

    /** Marks the attempt failed over if it is still waiting for its quote; false when a quote came first. */
    /** Still waiting for the router's first quote. */
    synchronized boolean awaitingQuote() {
        return state == State.SPEC_SENT;
    }

    synchronized boolean failOver() {
        if (state != State.SPEC_SENT) {
            return false;
        }
        state = State.FAILED;
        failedOver = true;
        return true;
    }

    /** The spec a submission makes at {@code createdAt}: the same on the first run and after a restart. */
    static JobRequest.Spec specOf(JobSubmission submission, long createdAt) {
        JobRequest.Input probe = new JobRequest.Input("", submission.texts(), submission.params(), 0);
        long deadline = createdAt + submission.deliverWithinSeconds();
        return new JobRequest.Spec(submission.model(), submission.task(), probe.commitment(), probe.bytes(),
                submission.units(), submission.maxPriceMsat(), submission.constraints(), submission.timing(), deadline,
                deadline);
    }

    /** The state of a deferred timing (after, hold, atomic) or external. */
    synchronized TimingState.Deferred deferred() {
        if (timingState == null) {
            timingState = new TimingState.Deferred();
        }
        return (TimingState.Deferred) timingState;
    }

    /** The state of a partial job, part by part. */
    synchronized TimingState.Parts partial() {
        if (timingState == null) {
            timingState = new TimingState.Parts();
        }
        return (TimingState.Parts) timingState;
    }

    boolean finished() {
        return state == State.DONE || state == State.FAILED;
    }
}
