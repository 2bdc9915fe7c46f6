package org.fedai.runner;

import java.util.concurrent.CountDownLatch;

/**
 * A runner that takes every job it is given and never finishes one: the adversary of {@code fedai demo
 * --adversarial} and {@code fedai bench throughput --adversarial}, a node that is paid and ordered and delivers
 * nothing, so that the router's non-delivery claim can be shown. The node around it is an honest one; the fault is
 * all in this wrapper, never in a node's configuration. A run ends only when the runner is closed (or its thread
 * interrupted), as cancelled.
 */
public final class NeverDeliveringRunner implements Runner {

    private final Runner declared;
    private final CountDownLatch closed = new CountDownLatch(1);

    /** {@code declared}: what the node says it serves (its models and tasks), and never runs. */
    public NeverDeliveringRunner(Runner declared) {
        this.declared = declared;
    }

    @Override
    public RunnerDescription describe() {
        return declared.describe();
    }

    @Override
    public RunResult run(RunRequest request, StreamSink sink) {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return RunResult.failure(FailureReason.CANCELLED, "never delivers");
    }

    @Override
    public void close() {
        closed.countDown();
    }
}
