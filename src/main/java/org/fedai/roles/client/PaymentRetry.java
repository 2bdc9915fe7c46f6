package org.fedai.roles.client;

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

    private PaymentRetry() {
    }

    /** No answer, or an answer that says the wallet could not be reached: nothing definite happened. */
    static boolean retriable(PayResult.Failed f) {
        return f.reason() == BackendFailure.OUTCOME_UNKNOWN || f.reason() == BackendFailure.BACKEND_ERROR;
    }

    /**
     * Asks for {@code payee}'s payment again after the job's next delay, if {@code failed} is retriable and the job's
     * deadline leaves room; false (nothing asked) otherwise, and the caller fails the job.
     */
    static boolean later(ClientStep step, PayResult.Failed failed, ClientAction.Payee payee) {
        return retriable(failed) && later(step, payee);
    }

    /** Asks again after the job's next delay, if its deadline leaves room (a payment still in flight). */
    static boolean later(ClientStep step, ClientAction.Payee payee) {
        ClientJob job = step.job;
        if (job.finished()) {
            return false;
        }
        long delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS << Math.min(job.payRetries, 10));
        job.payRetries++;
        if (step.nowMs + delay >= job.spec.deliverBy() * 1000) {
            return false;
        }
        step.effect(new ClientAction.RetryLater(payee, delay));
        return true;
    }
}
