package org.fedai.payment.nwc;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.pool.RelayPool;

/**
 * {@link NwcTransport} over a {@link RelayPool}: NWC requests, responses and notifications travel on
 * the pool's relays, which reconnect and resubscribe by themselves. The pool is the caller's: closing
 * this transport's subscriptions never closes the pool.
 */
public final class PoolNwcTransport implements NwcTransport {

    /** How long a publish waits for the relays' OK; a relay that is down gets the event when it is back. */
    public static final Duration DEFAULT_PUBLISH_DEADLINE = Duration.ofSeconds(10);

    private final RelayPool pool;
    private final Duration publishDeadline;

    public PoolNwcTransport(RelayPool pool, Duration publishDeadline) {
        this.pool = pool;
        this.publishDeadline = publishDeadline;
    }

    public PoolNwcTransport(RelayPool pool) {
        this(pool, DEFAULT_PUBLISH_DEADLINE);
    }

    /** A pool connected to {@code relays}, for a transport that owns its connections (the CLI). */
    public static RelayPool connect(List<String> relays) {
        RelayPool pool = new RelayPool();
        relays.forEach(pool::addRelay);
        return pool;
    }

    /** Completes once every relay answered (or the deadline passed) and fails unless at least one accepted. */
    @Override
    public CompletableFuture<Void> publish(Event event) {
        CompletableFuture<org.fedai.nostr.pool.PublishResult> published;
        try {
            published = pool.publish(event, publishDeadline);
        } catch (IllegalStateException closed) {
            // a closed pool is a failed publish to the NWC cores, which report it; never an exception on their threads
            return CompletableFuture.failedFuture(closed);
        }
        return published.thenCompose(result -> result.acceptedByAny()
                ? CompletableFuture.completedFuture((Void) null)
                : CompletableFuture.failedFuture(new IOException("no relay accepted event " + event.id() + ": "
                        + result.outcomes())));
    }

    @Override
    public AutoCloseable subscribe(Filter filter, Consumer<Event> onEvent) {
        return pool.subscribe(List.of(filter), (event, relayUrl) -> onEvent.accept(event));
    }
}
