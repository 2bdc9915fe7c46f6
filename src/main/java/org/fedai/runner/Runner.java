package org.fedai.runner;

/**
 * A model runner: one small pluggable interface, in the spirit of Flower's Strategy. A node asks
 * each runner what it serves, then hands it requests. A runner never throws for bad input or a
 * failing upstream: every outcome, good or bad, comes back as a {@link RunResult}.
 */
public interface Runner extends AutoCloseable {

    /** What this runner serves: models and, per model, the task types. */
    RunnerDescription describe();

    /**
     * Runs one request, pushing partial output to {@code sink} as it arrives (tokens for text
     * generation; other runners may emit nothing and return the whole output at the end).
     * If the sink throws, the run stops and returns {@link FailureReason#CANCELLED}.
     */
    RunResult run(RunRequest request, StreamSink sink);

    /** Runs one request without watching the stream. */
    default RunResult run(RunRequest request) {
        return run(request, StreamSink.DISCARD);
    }

    /** Whether this runner has {@code model} for {@code task}. */
    default boolean serves(String model, TaskType task) {
        return describe().serves(model, task);
    }

    @Override
    default void close() {
    }
}
