package org.fedai.nostr.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventKindClass;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.Filter;

/**
 * One relay inside the process, as a {@link RelayPort}: it verifies what is published (an invalid event is refused
 * as a relay refuses it), keeps what NIP-01 says a relay keeps (regular events; the newest replaceable and
 * addressable ones; ephemeral ones never), and delivers through the same {@link Subscription} as the pool, so
 * listeners see what they would see over a socket: stored events, EOSE, then live ones, verified and deduplicated.
 * No socket, no latency: for tests of whole roles in milliseconds, and for counting relay hops.
 */
public final class InMemoryRelay implements RelayPort, AutoCloseable {

    public static final String URL = "memory://relay";
    private static final int QUEUE_CAPACITY = 10_000;
    private static final int DEDUPE_CAPACITY = 100_000;

    private final Object lock = new Object();
    private final List<Event> stored = new ArrayList<>();
    /** Every id taken, ephemeral ones too: a copy published again is a duplicate, as a relay answers it. */
    private final Set<String> taken = new HashSet<>();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final RelayStats stats = new RelayStats();
    private final ExecutorService delivery = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("memory-relay-delivery-", 0).factory());
    private final AtomicLong counter = new AtomicLong();
    private final AtomicLong published = new AtomicLong();

    @Override
    public Subscription subscribe(List<Filter> filters, EventListener listener) {
        Subscription sub = new Subscription("mem-" + counter.incrementAndGet(), filters, listener,
                s -> subscriptions.remove(s.id()), delivery, QUEUE_CAPACITY, DEDUPE_CAPACITY);
        synchronized (lock) {
            // registered under the lock: an event published meanwhile is either stored before or offered after
            subscriptions.put(sub.id(), sub);
            for (Filter f : filters) {
                List<Event> matching = stored.stream().filter(f::matches)
                        .sorted(Comparator.comparingLong(Event::createdAt).reversed()).toList();
                int limit = f.limit() == null ? matching.size() : Math.min(f.limit(), matching.size());
                matching.subList(0, limit).forEach(e -> sub.offerEvent(e, URL, stats));
            }
            sub.offerEose(URL);
        }
        return sub;
    }

    @Override
    public CompletableFuture<PublishResult> publish(Event event, Duration deadline) {
        EventCheck check = EventVerifier.check(event);
        if (!check.valid()) {
            return answered(event, new PublishResult.Outcome.Rejected("invalid", check.reason()));
        }
        synchronized (lock) {
            if (!taken.add(event.id())) {
                return answered(event, new PublishResult.Outcome.Accepted("duplicate: already have this event"));
            }
            keep(event);
            published.incrementAndGet();
            for (Subscription sub : subscriptions.values()) {
                if (sub.filters().stream().anyMatch(f -> f.matches(event))) {
                    sub.offerEvent(event, URL, stats);
                }
            }
        }
        return answered(event, new PublishResult.Outcome.Accepted(""));
    }

    @Override
    public List<String> relayUrls() {
        return List.of(URL);
    }

    /** Events this relay took (not counting duplicates). */
    public long published() {
        return published.get();
    }

    private void keep(Event event) {
        switch (EventKindClass.of(event.kind())) {
            case EPHEMERAL -> { }
            case REGULAR -> stored.add(event);
            case REPLACEABLE, ADDRESSABLE -> {
                String d = EventKindClass.of(event.kind()) == EventKindClass.ADDRESSABLE
                        ? event.firstTagValue("d").orElse("") : "";
                boolean newer = stored.stream().filter(e -> sameAddress(e, event, d))
                        .allMatch(e -> e.createdAt() < event.createdAt());
                if (newer) {
                    stored.removeIf(e -> sameAddress(e, event, d));
                    stored.add(event);
                }
            }
        }
    }

    private static boolean sameAddress(Event a, Event b, String d) {
        return a.kind() == b.kind() && a.pubkey().equals(b.pubkey())
                && (EventKindClass.of(b.kind()) != EventKindClass.ADDRESSABLE || a.firstTagValue("d").orElse("").equals(d));
    }

    private static CompletableFuture<PublishResult> answered(Event event, PublishResult.Outcome outcome) {
        Map<String, PublishResult.Outcome> outcomes = new LinkedHashMap<>();
        outcomes.put(URL, outcome);
        return CompletableFuture.completedFuture(new PublishResult(event.id(), outcomes));
    }

    @Override
    public void close() {
        List.copyOf(subscriptions.values()).forEach(Subscription::close);
        delivery.shutdownNow();
    }
}
