package org.fedai.roles.client;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.fedai.nostr.Event;
import org.fedai.nostr.pool.RelayPort;

/**
 * Gets a payment proof onto at least one relay. The pool re-sends a publish to a relay that comes back before
 * the publish deadline; a relay outage longer than that would otherwise drop the only thing that turns money
 * paid into work done. So a proof no relay took is signed afresh and published again, with backoff, until one
 * takes it or the job is over (a router that got an earlier copy counts the next as already settled).
 */
final class ProofDelivery {

    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration MAX_RETRY = Duration.ofSeconds(15);

    private final RelayPort pool;
    private final ScheduledExecutorService timers;
    private final Duration publishDeadline;
    private final Consumer<String> count;

    ProofDelivery(RelayPort pool, ScheduledExecutorService timers, Duration publishDeadline, Consumer<String> count) {
        this.pool = pool;
        this.timers = timers;
        this.publishDeadline = publishDeadline;
        this.count = count;
    }

    /** {@code sign} makes a fresh proof event each attempt; {@code over} says when to stop trying. */
    void deliver(Supplier<Event> sign, BooleanSupplier over, Runnable delivered) {
        attempt(sign, over, delivered, FIRST_RETRY);
    }

    private void attempt(Supplier<Event> sign, BooleanSupplier over, Runnable delivered, Duration backoff) {
        if (over.getAsBoolean()) {
            return;
        }
        java.util.concurrent.CompletableFuture<org.fedai.nostr.pool.PublishResult> sent;
        try {
            sent = pool.publish(sign.get(), publishDeadline);
        } catch (IllegalStateException closed) {
            return; // the pool is closed: the journal keeps the preimages, the next start proves them
        }
        sent.whenComplete((result, error) -> {
            if (error == null && result.acceptedByAny()) {
                delivered.run();
                return;
            }
            count.accept("proof_not_taken_retrying");
            Duration next = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
            try {
                timers.schedule(() -> attempt(sign, over, delivered, next), backoff.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // the client is closing: the journal keeps the preimages, the next start proves them
            }
        });
    }
}
