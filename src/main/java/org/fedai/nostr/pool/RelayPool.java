package org.fedai.nostr.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;

/**
 * The only way fedai's roles reach the world: one WebSocket per relay URL, many relays at once. Subscriptions
 * span every relay, arrive verified and deduplicated, and survive relay restarts (resubscribed with
 * {@code since}); publishes wait for relays that are down until their deadline. See docs/relay-pool.md.
 */
public final class RelayPool implements RelayPort, AutoCloseable {

    private final RelayPoolConfig config;
    private final Map<String, RelayConnection> relays = new LinkedHashMap<>();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final ExecutorService delivery;
    private final ScheduledExecutorService scheduler;
    private final Map<String, PendingPublish> publishes = new ConcurrentHashMap<>();
    private final AtomicLong subscriptionCounter = new AtomicLong();
    private final String subscriptionPrefix = Long.toString(System.nanoTime() & 0xffffff, 36);
    private volatile boolean closed;

    public RelayPool(RelayPoolConfig config) {
        this.config = config;
        // Virtual threads: a listener that blocks holds only its own subscription back, not the other ones.
        this.delivery = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("relay-pool-delivery-", 0)
                .factory());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-pool-timer");
            t.setDaemon(true);
            return t;
        });
    }

    public RelayPool() {
        this(RelayPoolConfig.defaults());
    }

    public RelayPoolConfig config() {
        return config;
    }

    /** Connects (in the background) to a ws:// or wss:// relay; adding the same URL twice is a no-op. */
    public void addRelay(String url) {
        RelayConnection connection;
        synchronized (relays) {
            checkOpen();
            if (relays.containsKey(url)) {
                return;
            }
            connection = new RelayConnection(url, this, config);
            relays.put(url, connection);
        }
        connection.connect();
    }

    @Override
    public List<String> relayUrls() {
        synchronized (relays) {
            return List.copyOf(relays.keySet());
        }
    }

    /** Opens one REQ with all these filters on every relay, now and on every reconnect. */
    @Override
    public Subscription subscribe(List<Filter> filters, EventListener listener) {
        return subscribe(filters, listener, config.deliveryQueueCapacity());
    }

    /** As {@link #subscribe(List, EventListener)}, with this subscription's own delivery queue capacity. */
    public Subscription subscribe(List<Filter> filters, EventListener listener, int queueCapacity) {
        checkOpen();
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive");
        }
        String id = subscriptionPrefix + "-" + subscriptionCounter.incrementAndGet();
        Subscription sub = new Subscription(id, filters, listener, this::unsubscribe, delivery, queueCapacity,
                config.dedupeCapacity());
        subscriptions.put(id, sub);
        connections().forEach(c -> c.subscribe(sub));
        return sub;
    }

    /**
     * Sends the event to every relay of the pool. Relays that are down get it when they come back; the future
     * completes when every relay has answered or at the deadline, relays still silent then being timed out.
     */
    @Override
    public CompletableFuture<PublishResult> publish(Event event, Duration deadline) {
        checkOpen();
        List<RelayConnection> targets = connections();
        List<String> urls = targets.stream().map(RelayConnection::url).toList();
        PendingPublish publish = new PendingPublish(event, urls, delivery, done -> forget(done, targets));
        if (urls.isEmpty()) {
            publish.expire();
            return publish.future();
        }
        PendingPublish existing = publishes.putIfAbsent(event.id(), publish);
        if (existing != null) {
            return existing.future(); // the same event is already on its way
        }
        try {
            publish.deadline(scheduler.schedule(publish::expire, deadline.toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            publish.expire();
            return publish.future();
        }
        targets.forEach(c -> c.publish(publish));
        return publish.future();
    }

    public List<RelayHealth> health() {
        return connections().stream().map(RelayConnection::health).toList();
    }

    /** Closes every connection; publishes still waiting complete at once with the silent relays timed out. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriptions.values().forEach(Subscription::close);
        connections().forEach(RelayConnection::shutdown);
        new ArrayList<>(publishes.values()).forEach(PendingPublish::expire);
        scheduler.shutdownNow();
        delivery.shutdown();
        try {
            delivery.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- for the package --------------------------------------------------------------------------------------

    Subscription subscription(String id) {
        return subscriptions.get(id);
    }

    Collection<Subscription> openSubscriptions() {
        return subscriptions.values();
    }

    void unsubscribe(Subscription sub) {
        if (subscriptions.remove(sub.id()) != null) {
            connections().forEach(c -> c.unsubscribe(sub));
        }
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    private void forget(PendingPublish publish, List<RelayConnection> targets) {
        publishes.remove(publish.event().id(), publish);
        targets.forEach(c -> c.forget(publish));
    }

    private List<RelayConnection> connections() {
        synchronized (relays) {
            return List.copyOf(relays.values());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("relay pool is closed");
        }
    }
}
