package org.fedai.roles.common;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread a role's state lives on: incoming events, timers and periodic chores all run here in turn, so the
 * role needs no locks and never holds back the relay pool. A failure in any of them is counted under
 * {@code <kind>:internal_error} and logged, never fatal; the queue of incoming events is bounded, so a flood costs
 * events, not memory.
 */
public final class RoleThread implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RoleThread.class);

    private final ScheduledExecutorService executor;
    private final Counters counters;
    private final int maxQueued;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean closed;

    public RoleThread(String name, Counters counters, int maxQueued) {
        this.counters = counters;
        this.maxQueued = maxQueued;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    public boolean closed() {
        return closed;
    }

    /** Queues the handling of an incoming event; false (and nothing queued) when closed or the queue is full. */
    public boolean offer(String kind, Runnable handler) {
        if (closed) {
            return false;
        }
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            counters.increment(kind + ":overloaded");
            return false;
        }
        executor.execute(() -> {
            queued.decrementAndGet();
            guarded(kind, handler);
        });
        return true;
    }

    public void execute(String kind, Runnable body) {
        if (!closed) {
            executor.execute(() -> guarded(kind, body));
        }
    }

    /** Runs {@code body} after {@code delayMs}; null when the role is closed. */
    public ScheduledFuture<?> schedule(String kind, Runnable body, long delayMs) {
        return closed ? null
                : executor.schedule(() -> guarded(kind, body), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code body} every {@code periodMs}, the first time after {@code initialMs}. */
    public void every(String kind, Runnable body, long initialMs, long periodMs) {
        executor.scheduleAtFixedRate(() -> guarded(kind, body), initialMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code body} with {@code pauseMs} between the end of one run and the start of the next. */
    public void withPauses(String kind, Runnable body, long initialMs, long pauseMs) {
        executor.scheduleWithFixedDelay(() -> guarded(kind, body), initialMs, pauseMs, TimeUnit.MILLISECONDS);
    }

    private void guarded(String kind, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException | AssertionError e) {
            // an assertion (on in test runs) is a bug: logged loudly and counted, the role goes on with the next event
            counters.increment(kind + ":internal_error");
            LOG.error("{} failed on {}", Thread.currentThread().getName(), kind, e);
        }
    }

    /** Stops taking work, interrupts what runs, and waits up to 5 s for it to end. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
