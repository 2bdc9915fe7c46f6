package org.fedai.roles.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.fedai.domain.JobId;

/**
 * Proofs the client still owes routers for jobs whose results it already handed over: a run-on-payment result comes
 * before the wallet's answer to the node's payment (for a hold spare the wallet answers only once the node settled, as
 * the work started), and the proof follows that answer. A client about to close waits for them (bounded): a process
 * that ended with its result but without its proof would leave the router unpaid in its eyes, and the client's fee
 * credit short (4401 {@code run_on_payment}).
 */
final class OwedProofs {

    private final Set<JobId> owed = new HashSet<>();
    /** Proofs on their way, by job: one job may send two (the fee's alone, then the node's with it). */
    private final Map<JobId, Integer> delivering = new HashMap<>();

    /**
     * Before a job's step is carried out: a proof the step made owed is owed from now on. Registered after the
     * effects, it came too late once: the step's Complete woke a {@code fedai client submit} that closed at once,
     * finding nothing owed, and the proof was never sent (SpareInvoicesProcessesTest, now and then).
     */
    synchronized void beforeEffects(ClientJob job) {
        if (job.proofOwed) {
            owed.add(job.jobId);
        }
    }

    /** After a job's step: it owes a proof while the machine says so ({@link ClientJob#proofOwed}). */
    synchronized void afterStep(ClientJob job) {
        if (job.proofOwed) {
            owed.add(job.jobId);
        } else if (owed.remove(job.jobId)) {
            notifyAll();
        }
    }

    /** A proof is on its way to the relays. */
    synchronized void sending(JobId jobId) {
        delivering.merge(jobId, 1, Integer::sum);
    }

    /** A relay took the proof, or the job gave up on it. */
    synchronized void sent(JobId jobId) {
        if (delivering.computeIfPresent(jobId, (id, n) -> n > 1 ? n - 1 : null) == null) {
            notifyAll();
        }
    }

    /** Waits until nothing is owed or on its way, at most {@code limit}; true when nothing is. */
    synchronized boolean awaitNone(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!owed.isEmpty() || !delivering.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
