package org.fedai.payment.nwc;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventKindClass;
import org.fedai.nostr.Filter;

/**
 * Test double for the relay only: routes published events to matching subscriptions on one delivery
 * thread (in order, never on the publisher's thread, as a relay would), keeps every published event
 * for inspection, and replays stored (non-ephemeral) events to new subscriptions. The events
 * themselves are real: signed, NIP-44 encrypted.
 */
final class InMemoryNwcTransport implements NwcTransport, AutoCloseable {

    private record Subscription(Filter filter, Consumer<Event> consumer) {
    }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Event> published = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor();
    private volatile Predicate<Event> failPublish = e -> false;

    @Override
    public CompletableFuture<Void> publish(Event event) {
        if (failPublish.test(event)) {
            return CompletableFuture.failedFuture(new IllegalStateException("relay refused"));
        }
        published.add(event);
        deliver(event);
        return CompletableFuture.completedFuture(null);
    }

    /** Delivers an event as if a relay sent it, without it being published by a core (forgeries, replays). */
    void deliver(Event event) {
        delivery.execute(() -> {
            for (Subscription s : subscriptions) {
                if (s.filter().matches(event)) {
                    s.consumer().accept(event);
                }
            }
        });
    }

    @Override
    public AutoCloseable subscribe(Filter filter, Consumer<Event> onEvent) {
        Subscription s = new Subscription(filter, onEvent);
        subscriptions.add(s);
        delivery.execute(() -> published.stream()
                .filter(e -> EventKindClass.of(e.kind()) != EventKindClass.EPHEMERAL && filter.matches(e))
                .forEach(onEvent));
        return () -> subscriptions.remove(s);
    }

    void failPublishWhen(Predicate<Event> predicate) {
        failPublish = predicate;
    }

    List<Event> published(int kind) {
        return published.stream().filter(e -> e.kind() == kind).toList();
    }

    List<Event> responsesTo(String requestId) {
        return published(Nip47.RESPONSE_KIND).stream()
                .filter(e -> e.firstTagValue("e").orElse("").equals(requestId)).toList();
    }

    @Override
    public void close() {
        delivery.shutdownNow();
    }
}
