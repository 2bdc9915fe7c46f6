package org.fedai.nostr.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Event;

/**
 * Hands a newly accepted event to the live subscriptions: at once, on the publisher's I/O thread, or after a delay
 * ({@link RelayConfig#deliveryDelay()}), as a relay that batches its fan-out does (strfry's monitor debounce). With a
 * delay every relay hop of a flow costs at least that much, so a flow's latency shows how many hops it waits on.
 *
 * <p>A delayed event goes to the subscriptions that matched when it was accepted, as an undelayed one would: a REQ
 * sent during the delay reads it from storage instead (an ephemeral event it never sees, as it would not have). One
 * thread runs the delayed deliveries in the order they were scheduled, and every delivery waits the same time, so
 * each subscriber gets the events of one publisher in the order the relay accepted them; the I/O threads never wait.
 */
final class LiveDelivery implements AutoCloseable {

    private volatile long delayNanos;
    /** Made on the first delay: a relay that never delays runs no extra thread. */
    private ScheduledExecutorService scheduler;
    private boolean closed;

    LiveDelivery(Duration delay) {
        setDelay(delay);
    }

    /**
     * Changes the delay from the next accepted event on. Events already waiting keep theirs, so lowering it while
     * some wait may let newer events overtake them: benchmarks change it between jobs, not during them.
     */
    void setDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delivery delay must not be negative, got " + delay);
        }
        delayNanos = delay.toNanos();
    }

    Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    void deliver(Event event, Collection<ClientSession> sessions) {
        long delay = delayNanos;
        if (delay == 0) {
            for (ClientSession session : sessions) {
                session.deliver(event);
            }
            return;
        }
        List<Subscription> targets = new ArrayList<>();
        for (ClientSession session : sessions) {
            session.matching(event, targets);
        }
        ScheduledExecutorService s = scheduler();
        if (targets.isEmpty() || s == null) {
            return;
        }
        try {
            s.schedule(() -> targets.forEach(sub -> sub.offer(event)), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // the relay is closing: its connections go with it
        }
    }

    /** Whether a delivery thread was ever started (none while the delay stays zero). */
    synchronized boolean started() {
        return scheduler != null;
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null && !closed) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "relay-delivery");
                t.setDaemon(true);
                return t;
            });
        }
        return scheduler;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
