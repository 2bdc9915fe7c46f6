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
    final long startedNanos = System.nanoTime();
    final CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();
    final List<JobResult> parts = new ArrayList<>();
    State state = State.SPEC_SENT;
    Quote quote;
    String quoteEventId;
    int quotes;
    long paidMsat;
    boolean invoicePaid;
    // deferred timings (after, hold, atomic), see DeferredPayment
    Invoice deferredInvoice;
    boolean paying;
    boolean proofSent;
    String nodePreimage;
    /** The whole result once every part is in: plaintext, or for atomic the joined ciphertext. */
    String delivered;
    String deliveredType;
    String deliveredSha256;
    java.util.Optional<org.fedai.protocol.ResultLock> lock = java.util.Optional.empty();
    // partial, see PartialPayment: by part number
    final java.util.SortedMap<Integer, Invoice> partInvoices = new java.util.TreeMap<>();
    final java.util.Set<Integer> partsPaying = new java.util.HashSet<>();
    final java.util.Set<Integer> partsSettled = new java.util.HashSet<>();
    final java.util.SortedMap<Integer, String> partOutputs = new java.util.TreeMap<>();
    boolean feePaid;

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
