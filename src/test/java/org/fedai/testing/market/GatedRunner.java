package org.fedai.testing.market;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedai.runner.FailureReason;
import org.fedai.runner.RunRequest;
import org.fedai.runner.RunResult;
import org.fedai.runner.Runner;
import org.fedai.runner.RunnerDescription;
import org.fedai.runner.StreamSink;

/**
 * A real runner, counted, with two test levers: a gate that holds runs (to stop the node mid-job) and a failure
 * switch (a runner error, for the paths where nothing is owed). A held run that is interrupted (the node closing)
 * ends CANCELLED, as a real runner's would.
 */
public final class GatedRunner implements Runner {

    private final Runner inner;
    public final AtomicInteger runs = new AtomicInteger();
    public volatile CountDownLatch gate;
    public final CountDownLatch entered = new CountDownLatch(1);
    public volatile boolean fail;
    /** Runs numbered from here on (1-based) fail, or wait at the gate: a fault in the middle of a partial job. */
    public volatile int failFrom = Integer.MAX_VALUE;
    public volatile int gateFrom = 1;
    public final CountDownLatch enteredGated = new CountDownLatch(1);

    public GatedRunner(Runner inner) {
        this.inner = inner;
    }

    @Override
    public RunnerDescription describe() {
        return inner.describe();
    }

    @Override
    public RunResult run(RunRequest request, StreamSink sink) {
        int run = runs.incrementAndGet();
        entered.countDown();
        CountDownLatch g = gate;
        if (g != null && run >= gateFrom) {
            enteredGated.countDown();
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RunResult.failure(FailureReason.CANCELLED, "interrupted");
            }
        }
        return fail || run >= failFrom ? RunResult.failure(FailureReason.INTERNAL, "injected runner fault") : inner.run(request, sink);
    }

    @Override
    public void close() {
        // the inner runner is its owner's to close: a test class shares one model across its markets
    }
}
