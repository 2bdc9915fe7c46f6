package org.fedai.payment.nwc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;

/**
 * The client side of one NWC connection, independent of how events travel ({@link NwcTransport}).
 * Each call publishes a signed, NIP-44 encrypted 23194 request carrying a NIP-40 expiration at its
 * deadline (so a wallet that sees it late does not act after we gave up) and completes with the 23195
 * response whose {@code e} tag names it. Only events signed by the wallet service's key are accepted;
 * the rest, duplicates and unmatched responses are dropped and counted, never thrown.
 */
public final class NwcClient implements AutoCloseable {

    /** What the client dropped or received, for metrics and tests. */
    public enum Counter {
        BAD_SIGNATURE, FOREIGN_AUTHOR, DUPLICATE, UNMATCHED, MALFORMED, RESPONSES, NOTIFICATIONS
    }

    /** Per-method deadlines: pay_invoice may route for a while, everything else should be quick. */
    public record Timeouts(Duration payInvoice, Duration other) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(10));
        /**
         * For market roles: a pay_invoice unanswered after 15 s is looked up (still in flight means pending) and
         * asked again under the job's own deadline, so a wallet restarting or a relay outage costs seconds, not the
         * job (a 60 s wait would outlast the default deliver_by).
         */
        public static final Timeouts FOR_ROLES = new Timeouts(Duration.ofSeconds(15), Duration.ofSeconds(10));

        public Timeouts {
            if (payInvoice.isNegative() || payInvoice.isZero() || other.isNegative() || other.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }

        public Duration forMethod(NwcMethod method) {
            return method == NwcMethod.PAY_INVOICE ? payInvoice : other;
        }
    }

    private record Pending(NwcMethod method, CompletableFuture<NwcResult> future) {
    }

    private final NwcUri uri;
    private final KeyPair keys;
    private final NwcTransport transport;
    private final Timeouts timeouts;
    private final Clock clock;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Response ids already taken: a copy matters only while its request may still be pending. */
    private final Cache<String, Boolean> seen = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();
    private final List<Consumer<NwcNotification>> listeners = new CopyOnWriteArrayList<>();
    private final Map<Counter, LongAdder> counters = new EnumMap<>(Counter.class);
    private final AutoCloseable subscription;

    /** Subscribes at once, so no response can arrive before the client listens for it. */
    public NwcClient(NwcUri uri, NwcTransport transport, Timeouts timeouts, Clock clock) {
        this.uri = uri;
        this.keys = uri.clientKeys();
        this.transport = transport;
        this.timeouts = timeouts;
        this.clock = clock;
        for (Counter c : Counter.values()) {
            counters.put(c, new LongAdder());
        }
        // no authors condition on purpose: events from other keys must be seen to be counted
        Filter filter = Filter.builder()
                .kinds(Nip47.RESPONSE_KIND, Nip47.NOTIFICATION_KIND, Nip47.LEGACY_NOTIFICATION_KIND)
                .tag('p', keys.publicKey())
                .since(clock.instant().getEpochSecond() - 60)
                .build();
        this.subscription = transport.subscribe(filter, this::onEvent);
    }

    public NwcClient(NwcUri uri, NwcTransport transport) {
        this(uri, transport, Timeouts.DEFAULT, Clock.systemUTC());
    }

    public String clientPubkey() {
        return keys.publicKey();
    }

    public void onNotification(Consumer<NwcNotification> listener) {
        listeners.add(listener);
    }

    public long count(Counter counter) {
        return counters.get(counter).sum();
    }

    // ---- typed calls ----

    public CompletableFuture<NwcResult.Paid> payInvoice(String invoice, Long amountMsat) {
        return send(new NwcRequest.PayInvoice(invoice, amountMsat)).thenApply(r -> as(r, NwcResult.Paid.class));
    }

    public CompletableFuture<NwcTransaction> makeInvoice(long amountMsat, String description, Long expirySeconds) {
        return send(new NwcRequest.MakeInvoice(amountMsat, description, null, expirySeconds)).thenApply(NwcClient::tx);
    }

    public CompletableFuture<NwcTransaction> lookupInvoice(String paymentHash) {
        return send(new NwcRequest.LookupInvoice(paymentHash, null)).thenApply(NwcClient::tx);
    }

    public CompletableFuture<Long> getBalance() {
        return send(new NwcRequest.GetBalance()).thenApply(r -> as(r, NwcResult.Balance.class).balanceMsat());
    }

    public CompletableFuture<NwcResult.Info> getInfo() {
        return send(new NwcRequest.GetInfo()).thenApply(r -> as(r, NwcResult.Info.class));
    }

    public CompletableFuture<List<NwcTransaction>> listTransactions(NwcRequest.ListTransactions query) {
        return send(query).thenApply(r -> as(r, NwcResult.Transactions.class).transactions());
    }

    public CompletableFuture<NwcTransaction> makeHoldInvoice(NwcRequest.MakeHoldInvoice request) {
        return send(request).thenApply(NwcClient::tx);
    }

    public CompletableFuture<Void> settleHoldInvoice(String preimage) {
        return send(new NwcRequest.SettleHoldInvoice(preimage)).thenApply(r -> null);
    }

    public CompletableFuture<Void> cancelHoldInvoice(String paymentHash) {
        return send(new NwcRequest.CancelHoldInvoice(paymentHash)).thenApply(r -> null);
    }

    /**
     * The wallet service's 13194 info event (replaceable: relays keep the latest). Completes with the
     * first validly signed one from the wallet's key, or fails with TIMEOUT.
     */
    public CompletableFuture<NwcInfo> fetchInfo(Duration timeout) {
        CompletableFuture<NwcInfo> info = new CompletableFuture<>();
        Filter filter = Filter.builder().kinds(Nip47.INFO_KIND).authors(uri.walletPubkey()).build();
        AutoCloseable sub = transport.subscribe(filter, event -> {
            if (event.pubkey().equals(uri.walletPubkey()) && EventVerifier.isValid(event)) {
                try {
                    info.complete(Nip47.parseInfo(event));
                } catch (Nip47Exception e) {
                    counters.get(Counter.MALFORMED).increment();
                }
            }
        });
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
                info.completeExceptionally(NwcException.local(NwcException.Local.TIMEOUT,
                        "no info event within " + timeout.toMillis() + " ms")));
        return info.whenComplete((ok, error) -> {
            try {
                sub.close();
            } catch (Exception e) {
                // nothing more to receive either way
            }
        });
    }

    /**
     * Sends any request. Completes with the result, or exceptionally with an {@link NwcException}: the
     * wallet's NIP-47 error, TIMEOUT after the method's deadline, PUBLISH_FAILED or MALFORMED_RESPONSE.
     */
    public CompletableFuture<NwcResult> send(NwcRequest request) {
        Duration timeout = timeouts.forMethod(request.method());
        long now = clock.instant().getEpochSecond();
        long expiresAt = now + Math.max(1, (timeout.toMillis() + 999) / 1000);
        Event event = Nip47.request(request, keys, uri.walletPubkey(), now, expiresAt);
        CompletableFuture<NwcResult> future = new CompletableFuture<>();
        pending.put(event.id(), new Pending(request.method(), future));
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (pending.remove(event.id()) != null) {
                future.completeExceptionally(NwcException.local(NwcException.Local.TIMEOUT,
                        request.method().wire() + " got no response within " + timeout.toMillis() + " ms"));
            }
        });
        transport.publish(event).whenComplete((ok, error) -> {
            if (error != null && pending.remove(event.id()) != null) {
                future.completeExceptionally(NwcException.local(NwcException.Local.PUBLISH_FAILED,
                        "no relay accepted the " + request.method().wire() + " request", error));
            }
        });
        return future;
    }

    private void onEvent(Event event) {
        if (!EventVerifier.isValid(event)) {
            counters.get(Counter.BAD_SIGNATURE).increment();
            return;
        }
        if (!event.pubkey().equals(uri.walletPubkey())) {
            counters.get(Counter.FOREIGN_AUTHOR).increment();
            return;
        }
        if (seen.asMap().putIfAbsent(event.id(), Boolean.TRUE) != null) {
            counters.get(Counter.DUPLICATE).increment();
            return;
        }
        if (event.kind() == Nip47.RESPONSE_KIND) {
            onResponse(event);
        } else {
            onNotificationEvent(event);
        }
    }

    private void onResponse(Event event) {
        Pending call;
        try {
            call = pending.remove(Nip47.respondsTo(event));
        } catch (Nip47Exception noETag) {
            counters.get(Counter.MALFORMED).increment();
            return;
        }
        if (call == null) {
            // late (after a timeout) or for another session of this connection
            counters.get(Counter.UNMATCHED).increment();
            return;
        }
        counters.get(Counter.RESPONSES).increment();
        try {
            NwcResponse response = Nip47.openResponse(event, keys);
            if (response.isError()) {
                call.future().completeExceptionally(NwcException.wallet(response.error().code(),
                        response.error().message()));
            } else if (!response.resultType().equals(call.method().wire())) {
                call.future().completeExceptionally(NwcException.local(NwcException.Local.MALFORMED_RESPONSE,
                        "result_type " + response.resultType() + " answers a " + call.method().wire() + " request"));
            } else {
                call.future().complete(response.result());
            }
        } catch (Nip47Exception e) {
            counters.get(Counter.MALFORMED).increment();
            call.future().completeExceptionally(NwcException.local(NwcException.Local.MALFORMED_RESPONSE,
                    e.getMessage(), e));
        }
    }

    private void onNotificationEvent(Event event) {
        NwcNotification notification;
        try {
            notification = Nip47.openNotification(event, keys);
        } catch (Nip47Exception e) {
            counters.get(Counter.MALFORMED).increment();
            return;
        }
        counters.get(Counter.NOTIFICATIONS).increment();
        for (Consumer<NwcNotification> listener : listeners) {
            try {
                listener.accept(notification);
            } catch (RuntimeException e) {
                // a faulty listener must not stop the others nor the client
                counters.get(Counter.MALFORMED).increment();
            }
        }
    }

    private static NwcTransaction tx(NwcResult result) {
        return as(result, NwcResult.Transaction.class).transaction();
    }

    private static <T extends NwcResult> T as(NwcResult result, Class<T> type) {
        if (!type.isInstance(result)) {
            throw NwcException.local(NwcException.Local.MALFORMED_RESPONSE,
                    "expected " + type.getSimpleName() + ", got " + result.getClass().getSimpleName());
        }
        return type.cast(result);
    }

    /** Stops listening; calls still waiting fail with CLOSED. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            // the transport's problem; pending calls are failed below either way
        }
        for (String id : List.copyOf(pending.keySet())) {
            Pending call = pending.remove(id);
            if (call != null) {
                call.future().completeExceptionally(NwcException.local(NwcException.Local.CLOSED, "client closed"));
            }
        }
    }
}
