package org.fedai.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a foreground command (relay, node, router, wallet service) waits for SIGINT/SIGTERM and stops
 * cleanly: the JVM's shutdown hook only asks the command to stop, then waits (bounded) until the command
 * has closed its journals and sockets itself, so nothing is closed twice or half-written at exit.
 */
final class ShutdownSignal implements AutoCloseable {

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(15);

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Thread hook;

    /** Registers the shutdown hook; call once, at the start of the command's run. */
    ShutdownSignal install(String name) {
        Thread h = new Thread(() -> {
            stopRequested.countDown();
            try {
                closed.await(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(h);
        hook = h;
        return this;
    }

    /** Stops the command as SIGTERM would (tests, embedding). */
    void requestStop() {
        stopRequested.countDown();
    }

    /** Waits until a stop is requested. */
    void await() throws InterruptedException {
        stopRequested.await();
    }

    /** Waits at most {@code timeout}; true when a stop was requested. */
    boolean await(Duration timeout) throws InterruptedException {
        return stopRequested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The command has finished closing: release a waiting hook, or drop the hook when no signal came. */
    @Override
    public void close() {
        closed.countDown();
        Thread h = hook;
        if (h != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is what stopped us; it returns as soon as it sees `closed`
            }
        }
    }
}
