package org.fedai.roles.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    final long startedNanos = System.nanoTime();
    final CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();
    final List<JobResult> parts = new ArrayList<>();
    State state = State.SPEC_SENT;
    Quote quote;
    String quoteEventId;
    int quotes;
    long paidMsat;
    boolean invoicePaid;

    ClientJob(String jobId, JobSubmission submission, JobRequest.Spec spec, String router) {
        this.jobId = jobId;
        this.submission = submission;
        this.spec = spec;
        this.router = router;
    }

    boolean finished() {
        return state == State.DONE || state == State.FAILED;
    }
}
