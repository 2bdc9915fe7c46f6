package org.fedai.roles.router;

import java.time.Duration;
import java.time.InstantSource;
import java.util.function.BooleanSupplier;
import org.fedai.nostr.Event;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.roles.common.Counters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes until a relay takes the event: when none did within the publish deadline (every relay down, or a
 * restart longer than the pool's own resend), the same event (same id: relays keep one copy) goes out again with
 * backoff for {@link #REPUBLISH_FOR}, so a quote, order or receipt the router signed during an outage is not lost.
 */
final class PersistentPublisher {

    /** A scheduler of delayed work on the role's thread. */
    interface Scheduler {
        void schedule(Runnable body, long delayMs);
    }

    static final Duration REPUBLISH_FOR = Duration.ofMinutes(10);
    static final long MAX_DELAY_MS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(PersistentPublisher.class);

    private final RelayPort pool;
    private final Duration deadline;
    private final InstantSource clock;
    private final Counters activity;
    private final Scheduler scheduler;
    private final BooleanSupplier closed;

    PersistentPublisher(RelayPort pool, Duration deadline, InstantSource clock, Counters activity,
            Scheduler scheduler, BooleanSupplier closed) {
        this.pool = pool;
        this.deadline = deadline;
        this.clock = clock;
        this.activity = activity;
        this.scheduler = scheduler;
        this.closed = closed;
    }

    void publish(Event event) {
        publish(event, () -> { });
    }

    /** {@code onAccepted} runs once a relay took the event (the router's outbox marks it published). */
    void publish(Event event, Runnable onAccepted) {
        publish(event, onAccepted, 0, clock.millis() + REPUBLISH_FOR.toMillis());
    }

    private void publish(Event event, Runnable onAccepted, int attempt, long untilMs) {
        pool.publish(event, deadline).whenComplete((result, error) -> {
            if (error == null && result.acceptedByAny()) {
                onAccepted.run();
                return;
            }
            if (closed.getAsBoolean() || clock.millis() >= untilMs) {
                LOG.warn("no relay took {} (kind {}), giving up: {}", event.id(), event.kind(),
                        error != null ? error.toString() : result.outcomes());
                return;
            }
            activity.count(event.kind(), "republish");
            scheduler.schedule(() -> publish(event, onAccepted, attempt + 1, untilMs),
                    Math.min(MAX_DELAY_MS, 500L << Math.min(attempt, 6)));
        });
    }
}
