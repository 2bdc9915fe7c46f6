package org.fedai.runner;

import java.util.Objects;

/** The outcome of a run: output with usage, or a typed failure. Never an exception. */
public sealed interface RunResult {

    /** @param finishReason why generation stopped ("stop", "length", ...), or "complete" for other tasks */
    record Success(RunOutput output, Usage usage, String finishReason) implements RunResult {
        public Success {
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(finishReason, "finishReason");
        }
    }

    /** @param detail a human-readable explanation; never includes secrets such as API keys */
    record Failure(FailureReason reason, String detail) implements RunResult {
        public Failure {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    static Failure failure(FailureReason reason, String detail) {
        return new Failure(reason, detail);
    }

    default boolean isSuccess() {
        return this instanceof Success;
    }
}
