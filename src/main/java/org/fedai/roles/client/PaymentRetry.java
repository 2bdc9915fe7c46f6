package org.fedai.roles.client;

import java.time.InstantSource;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.PayResult;

/**
 * A wallet that does not answer (restarting, its relay down) is asked again, with backoff, until the job's
 * deadline, instead of failing the job at once or leaving it to wait for deliver_by. Safe because every attempt
 * goes through {@link ClientPayer}: the journal and the wallet's own record are asked before any second payment.
 */
final class PaymentRetry {

    static final long FIRST_DELAY_MS = 500;
    static final long MAX_DELAY_MS = 8_000;

    private final ScheduledExecutorService timers;
    private final Executor payments;
    private final InstantSource clock;

    PaymentRetry(ScheduledExecutorService timers, Executor payments, InstantSource clock) {
        this.timers = timers;
        this.payments = payments;
        this.clock = clock;
    }

    /** No answer, or an answer that says the wallet could not be reached: nothing definite happened. */
    static boolean retriable(PayResult.Failed f) {
        return f.reason() == BackendFailure.OUTCOME_UNKNOWN || f.reason() == BackendFailure.BACKEND_ERROR;
    }

    /**
     * Runs {@code again} on the payments thread after the job's next delay, if {@code failed} is retriable and the
     * job's deadline leaves room; false (nothing scheduled) otherwise, and the caller fails the job.
     */
    boolean later(ClientJob job, PayResult.Failed failed, Runnable again) {
        return retriable(failed) && later(job, again);
    }

    /** Runs {@code again} after the job's next delay, if its deadline leaves room (a payment still in flight). */
    boolean later(ClientJob job, Runnable again) {
        if (job.finished()) {
            return false;
        }
        long delay;
        synchronized (job) {
            delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS << Math.min(job.payRetries, 10));
            job.payRetries++;
        }
        if (clock.millis() + delay >= job.spec.deliverBy() * 1000) {
            return false;
        }
        try {
            timers.schedule(() -> payments.execute(again), delay, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException closing) {
            return false;
        }
    }
}
