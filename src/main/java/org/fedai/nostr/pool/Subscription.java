package org.fedai.nostr.pool;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.Filter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One REQ held open on every relay of a pool. Socket threads only {@link #offerEvent enqueue}; a delivery task
 * verifies, filters, dedupes and calls the listener, one item at a time, so the listener sees a serial stream and
 * a slow listener overflows only its own bounded queue.
 */
public final class Subscription implements AutoCloseable {

    /** Why an event that was not asked for is dropped; counted with the verifier's reasons. */
    public static final String NOT_MATCHING = "invalid: event does not match the subscription's filters";

    private static final Logger log = LoggerFactory.getLogger(Subscription.class);

    private final String id;
    private final List<Filter> filters;
    private final EventListener listener;
    /** Tells the relays (a pool, or the in-memory relay) that this subscription is closed. */
    private final Consumer<Subscription> unsubscribe;
    private final Executor executor;
    private final int capacity;
    /** Delivered ids with the created_at of the verified event (a copy's own created_at is not trusted). */
    private final Cache<String, Long> seen;
    private final Queue<Delivery> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong overflowDrops = new AtomicLong();
    private final Map<String, Long> newestByRelay = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private sealed interface Delivery {
    }

    private record EventItem(Event event, String relayUrl, RelayStats stats) implements Delivery {
    }

    private record EoseItem(String relayUrl) implements Delivery {
    }

    private record ClosedItem(String relayUrl, String reason) implements Delivery {
    }

    /** How long an event id is remembered to drop copies; twice the default resubscription margin. */
    static final java.time.Duration DEDUPE_WINDOW = java.time.Duration.ofMinutes(2);

    Subscription(String id, List<Filter> filters, EventListener listener, Consumer<Subscription> unsubscribe,
            Executor executor, int capacity, int dedupeCapacity) {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("a subscription needs at least one filter");
        }
        this.id = id;
        this.filters = List.copyOf(filters);
        this.listener = listener;
        this.unsubscribe = unsubscribe;
        this.executor = executor;
        this.capacity = capacity;
        // copies from other relays come within seconds, replays after a reconnect within the resubscription margin;
        // an id older than that is forgotten (handlers journal what they act on), so memory follows the event rate
        this.seen = Caffeine.newBuilder().expireAfterWrite(DEDUPE_WINDOW).maximumSize(dedupeCapacity).build();
    }

    public String id() {
        return id;
    }

    public List<Filter> filters() {
        return filters;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Events dropped because this subscription's queue was full (also counted on each relay's health). */
    public long overflowDrops() {
        return overflowDrops.get();
    }

    /** Events waiting for the listener. */
    public int queuedEvents() {
        return queuedEvents.get();
    }

    /** Sends CLOSE to every relay; events already queued are discarded. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            unsubscribe.accept(this);
        }
    }

    /**
     * The filters to send to one relay: after it delivered something, {@code since} moves up to the newest
     * created_at it sent minus {@code margin}, so a resubscription asks only for what may have been missed.
     */
    List<Filter> filtersFor(String relayUrl, long marginSeconds) {
        Long newest = newestByRelay.get(relayUrl);
        if (newest == null) {
            return filters;
        }
        // A future-dated event (bad clock or hostile relay) must not push since past what we have not seen yet.
        long upTo = Math.min(newest, java.time.Instant.now().getEpochSecond());
        long since = Math.max(0, upTo - marginSeconds);
        return filters.stream()
                .map(f -> f.since() != null && f.since() >= since ? f : f.withSince(since))
                .toList();
    }

    /** Called on a socket thread: never blocks, never runs the listener. */
    void offerEvent(Event event, String relayUrl, RelayStats stats) {
        if (closed) {
            return;
        }
        if (queuedEvents.incrementAndGet() > capacity) {
            queuedEvents.decrementAndGet();
            stats.overflowDrops.incrementAndGet();
            long n = overflowDrops.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                log.warn("subscription {}: listener is behind, {} events dropped so far (latest from {})", id, n,
                        relayUrl);
            }
            return;
        }
        queue.add(new EventItem(event, relayUrl, stats));
        scheduleDrain();
    }

    void offerEose(String relayUrl) {
        queue.add(new EoseItem(relayUrl));
        scheduleDrain();
    }

    void offerClosed(String relayUrl, String reason) {
        queue.add(new ClosedItem(relayUrl, reason));
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                draining.set(false); // pool closed
            }
        }
    }

    private void drain() {
        do {
            Delivery item;
            while ((item = queue.poll()) != null) {
                if (item instanceof EventItem) {
                    queuedEvents.decrementAndGet();
                }
                if (!closed) {
                    deliver(item);
                }
            }
            draining.set(false);
            // An item added after the poll loop ended but before the flag dropped would otherwise wait forever.
        } while (!queue.isEmpty() && draining.compareAndSet(false, true));
    }

    private void deliver(Delivery item) {
        try {
            switch (item) {
                case EventItem e -> deliverEvent(e.event(), e.relayUrl(), e.stats());
                case EoseItem e -> listener.onEose(e.relayUrl());
                case ClosedItem c -> listener.onClosed(c.relayUrl(), c.reason());
            }
        } catch (RuntimeException e) {
            log.warn("subscription {}: listener threw", id, e);
        }
    }

    private void deliverEvent(Event event, String relayUrl, RelayStats stats) {
        // An id is the hash of the content, so a copy with a known id carries content we already verified.
        Long knownCreatedAt = seen.getIfPresent(event.id());
        if (knownCreatedAt != null) {
            stats.duplicates.incrementAndGet();
            newestByRelay.merge(relayUrl, knownCreatedAt, Math::max);
            return;
        }
        EventCheck check = EventVerifier.check(event);
        if (!check.valid()) {
            stats.invalidEvent(check.reason());
            log.debug("dropped event {} from {}: {}", event.id(), relayUrl, check.reason());
            return;
        }
        if (filters.stream().noneMatch(f -> f.matches(event))) {
            stats.invalidEvent(NOT_MATCHING);
            return;
        }
        seen.put(event.id(), event.createdAt());
        newestByRelay.merge(relayUrl, event.createdAt(), Math::max);
        listener.onEvent(event, relayUrl);
    }
}
