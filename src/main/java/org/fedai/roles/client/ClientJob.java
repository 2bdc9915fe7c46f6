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
    /** The spec's created_at (epoch seconds): the spec is rebuilt from it after a restart. */
    final long createdAt;
    final long startedNanos = System.nanoTime();
    final CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();
    final List<JobResult> parts = new ArrayList<>();
    volatile State state = State.SPEC_SENT;
    Quote quote;
    String quoteEventId;
    int quotes;
    long paidMsat;
    boolean invoicePaid;

    ClientJob(String jobId, JobSubmission submission, JobRequest.Spec spec, String router, long createdAt) {
        this.jobId = jobId;
        this.createdAt = createdAt;
        this.submission = submission;
        this.spec = spec;
        this.router = router;
    }

    /** The spec a submission makes at {@code createdAt}: the same on the first run and after a restart. */
    static JobRequest.Spec specOf(JobSubmission submission, long createdAt) {
        JobRequest.Input probe = new JobRequest.Input("", submission.texts(), submission.params(), 0);
        long deadline = createdAt + submission.deliverWithinSeconds();
        return new JobRequest.Spec(submission.model(), submission.task(), probe.commitment(), probe.bytes(),
                submission.units(), submission.maxPriceMsat(), submission.constraints(), submission.timing(), deadline,
                deadline);
    }

    boolean finished() {
        return state == State.DONE || state == State.FAILED;
    }
}
