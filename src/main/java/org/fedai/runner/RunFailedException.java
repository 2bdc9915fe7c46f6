package org.fedai.runner;

/**
 * Carries a typed failure up through a runner's own call stack. It never leaves a runner:
 * {@link Runner#run} turns it into a {@link RunResult.Failure}.
 */
public final class RunFailedException extends Exception {

    private final FailureReason reason;

    public RunFailedException(FailureReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RunFailedException(FailureReason reason, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }

    public RunResult.Failure toFailure() {
        return new RunResult.Failure(reason, getMessage());
    }
}
