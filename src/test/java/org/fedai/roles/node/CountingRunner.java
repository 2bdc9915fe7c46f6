package org.fedai.roles.node;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedai.runner.FailureReason;
import org.fedai.runner.RunRequest;
import org.fedai.runner.RunResult;
import org.fedai.runner.Runner;
import org.fedai.runner.RunnerDescription;
import org.fedai.runner.StreamSink;

/**
 * The real runner, counted; a test may hold runs at a gate to stop the node mid-job. A held run that is
 * interrupted (the node closing) ends CANCELLED, as a real runner's would.
 */
final class CountingRunner implements Runner {

    private final Runner inner;
    final AtomicInteger runs = new AtomicInteger();
    volatile CountDownLatch gate;
    volatile CountDownLatch entered = new CountDownLatch(1);

    CountingRunner(Runner inner) {
        this.inner = inner;
    }

    @Override
    public RunnerDescription describe() {
        return inner.describe();
    }

    @Override
    public RunResult run(RunRequest request, StreamSink sink) {
        runs.incrementAndGet();
        entered.countDown();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RunResult.failure(FailureReason.CANCELLED, "interrupted");
            }
        }
        return inner.run(request, sink);
    }
}
