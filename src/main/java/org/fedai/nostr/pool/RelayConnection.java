package org.fedai.nostr.pool;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.ClientMessage;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.Nip01Messages;
import org.fedai.nostr.RelayMessage;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay: a WebSocket that is reopened with backoff whenever it drops, the REQs and EVENTs that must be
 * (re)sent on every open, and NIP-42 authentication. Socket callbacks only parse, update state and enqueue.
 */
final class RelayConnection {

    private static final Logger log = LoggerFactory.getLogger(RelayConnection.class);
    /** A connection that stayed up this long was healthy, whether or not it answered anything. */
    private static final java.time.Duration STABLE = java.time.Duration.ofSeconds(10);

    private final String url;
    private final URI uri;
    private final RelayPool pool;
    private final RelayPoolConfig config;
    private final ReconnectState reconnect;
    final RelayStats stats = new RelayStats();

    /** Publishes this relay has not answered yet, by event id, with the time the EVENT was last sent. */
    private final Map<String, PendingPublish> pending = new ConcurrentHashMap<>();
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, SubState> subs = new ConcurrentHashMap<>();
    /** Publishes refused with auth-required while AUTH is possible, with the relay's message. */
    private final Map<String, String> heldForAuth = new ConcurrentHashMap<>();

    private volatile WebSocketClient client;
    private boolean connected;
    private boolean everConnected;
    private boolean shutdown;
    private boolean reconnectScheduled;
    private boolean authenticated;
    /** This connection's AUTH was refused: auth-required is final until the next challenge. */
    private boolean authRefused;
    private String authEventId;

    /** Per subscription on this relay. */
    private static final class SubState {
        long reqSentNanos;
        /** The relay's auth-required CLOSED reason while the REQ waits for AUTH; null otherwise. */
        String awaitingAuth;
        boolean refused;
    }

    RelayConnection(String url, RelayPool pool, RelayPoolConfig config) {
        this.url = url;
        this.uri = URI.create(url);
        String scheme = uri.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new IllegalArgumentException("relay URL must be ws:// or wss://: " + url);
        }
        this.pool = pool;
        this.config = config;
        this.reconnect = new ReconnectState(new Backoff(config.reconnectBase(), config.reconnectMax()), STABLE);
    }

    String url() {
        return url;
    }

    synchronized void connect() {
        reconnectScheduled = false;
        if (shutdown) {
            return;
        }
        RelaySocket socket = new RelaySocket(uri, this);
        socket.setConnectionLostTimeout((int) Math.max(1, config.connectionLostTimeout().toSeconds()));
        client = socket;
        socket.connect();
    }

    /**
     * The socket is closed outside this object's lock: Java-WebSocket's close takes the socket's own lock, which its
     * reader thread holds while it calls {@link #closed} (which takes ours); closing under ours deadlocked the two.
     */
    void shutdown() {
        WebSocketClient socket;
        synchronized (this) {
            shutdown = true;
            connected = false;
            socket = client;
        }
        if (socket != null) {
            socket.close();
        }
    }

    synchronized RelayHealth health() {
        return new RelayHealth(url, connected, authenticated, stats.lastRoundTrip(), stats.reconnects.get(),
                stats.errors.get(), stats.malformedFrames.get(), stats.notices.get(), stats.invalidSnapshot(),
                stats.duplicates.get(), stats.overflowDrops.get(), pending.size(), stats.lastError());
    }

    // ---- called by the pool --------------------------------------------------------------------------------

    synchronized void subscribe(Subscription sub) {
        if (subs.putIfAbsent(sub.id(), new SubState()) != null) {
            return; // an open that raced with subscribe already sent the REQ
        }
        if (connected) {
            sendReq(sub);
        }
    }

    synchronized void unsubscribe(Subscription sub) {
        if (subs.remove(sub.id()) != null && connected) {
            send(Nip01Messages.toJson(new ClientMessage.Close(sub.id())));
        }
    }

    synchronized void publish(PendingPublish publish) {
        pending.put(publish.event().id(), publish);
        if (publish.isFinished()) {
            forget(publish); // its deadline fired before it got here
            return;
        }
        if (connected) {
            sendEvent(publish.event());
        }
    }

    /** Drops a settled publish; a newer publish of the same event is left alone. */
    void forget(PendingPublish publish) {
        String eventId = publish.event().id();
        if (pending.remove(eventId, publish)) {
            sentAt.remove(eventId);
            heldForAuth.remove(eventId);
        }
    }

    // ---- socket callbacks -----------------------------------------------------------------------------------

    synchronized void opened(RelaySocket socket) {
        if (socket != client || shutdown) {
            return;
        }
        connected = true;
        authenticated = false;
        authRefused = false;
        authEventId = null;
        reconnect.opened(System.nanoTime());
        if (everConnected) {
            stats.reconnects.incrementAndGet();
            log.info("reconnected to {}", url);
        }
        everConnected = true;
        for (Subscription sub : pool.openSubscriptions()) {
            SubState state = subs.computeIfAbsent(sub.id(), k -> new SubState());
            state.awaitingAuth = null;
            if (!state.refused) {
                sendReq(sub);
            }
        }
        pending.values().forEach(p -> sendEvent(p.event()));
    }

    synchronized void closed(RelaySocket socket, int code, String reason) {
        if (socket != client) {
            return;
        }
        boolean wasConnected = connected;
        connected = false;
        authenticated = false;
        if (shutdown) {
            return;
        }
        if (wasConnected) {
            log.info("lost {} ({} {}), reconnecting", url, code, reason);
        }
        if (!reconnectScheduled) {
            reconnectScheduled = true;
            long delay = reconnect.closed(wasConnected, System.nanoTime(),
                    java.util.concurrent.ThreadLocalRandom.current()).toMillis();
            try {
                pool.scheduler().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                reconnectScheduled = false; // pool closing
            }
        }
    }

    /** A text frame; only the current socket's are read (a stale one may still deliver while it closes). */
    void received(RelaySocket socket, String text) {
        if (socket == client) {
            message(text);
        }
    }

    private void message(String text) {
        RelayMessage message;
        try {
            message = Nip01Messages.parseRelayMessage(text);
        } catch (MalformedEventException | RuntimeException e) {
            long n = stats.malformedFrames.incrementAndGet();
            log.debug("{}: malformed frame #{} ({}): {}", url, n, e.getMessage(), abbreviate(text));
            return;
        }
        switch (message) {
            case RelayMessage.EventMessage m -> {
                Subscription sub = pool.subscription(m.subscriptionId());
                if (sub != null) {
                    sub.offerEvent(m.event(), url, stats);
                }
            }
            case RelayMessage.Ok m -> onOk(m);
            case RelayMessage.Eose m -> onEose(m.subscriptionId());
            case RelayMessage.Closed m -> onClosed(m.subscriptionId(), m.message());
            case RelayMessage.Notice m -> {
                stats.notices.incrementAndGet();
                log.info("NOTICE from {}: {}", url, abbreviate(m.message()));
            }
            case RelayMessage.AuthChallenge m -> onChallenge(m.challenge());
        }
    }

    private synchronized void onOk(RelayMessage.Ok ok) {
        reconnect.served();
        if (ok.eventId().equals(authEventId)) {
            onAuthResult(ok);
            return;
        }
        PendingPublish publish = pending.get(ok.eventId());
        if (publish == null) {
            return; // answer to a resend that was already settled
        }
        Long sent = sentAt.get(ok.eventId());
        if (sent != null) {
            stats.roundTrip(sent);
        }
        if (!ok.accepted() && Nip42Auth.isAuthRequired(ok.message()) && mayAuthenticate()) {
            heldForAuth.put(ok.eventId(), ok.message());
            return; // kept in pending: sent again once the AUTH is accepted
        }
        PublishResult.Outcome outcome = ok.accepted() ? new PublishResult.Outcome.Accepted(ok.message())
                : new PublishResult.Outcome.Rejected(ok.prefix(), ok.message());
        forget(publish);
        publish.answer(url, outcome);
    }

    private synchronized void onEose(String subscriptionId) {
        reconnect.served();
        SubState state = subs.get(subscriptionId);
        Subscription sub = pool.subscription(subscriptionId);
        if (state == null || sub == null) {
            return;
        }
        stats.roundTrip(state.reqSentNanos);
        sub.offerEose(url);
    }

    private synchronized void onClosed(String subscriptionId, String reason) {
        SubState state = subs.get(subscriptionId);
        Subscription sub = pool.subscription(subscriptionId);
        if (state == null || sub == null) {
            return;
        }
        if (Nip42Auth.isAuthRequired(reason) && mayAuthenticate()) {
            state.awaitingAuth = reason;
            return;
        }
        state.refused = true;
        log.info("{} closed subscription {}: {}", url, subscriptionId, reason);
        sub.offerClosed(url, reason);
    }

    private synchronized void onChallenge(String challenge) {
        Optional<KeyPair> keys = config.authKeys();
        if (keys.isEmpty()) {
            log.debug("{} sent an AUTH challenge; no auth keys configured", url);
            return;
        }
        Event auth = Nip42Auth.authEvent(url, challenge, keys.get());
        authEventId = auth.id();
        authenticated = false;
        authRefused = false;
        send(Nip01Messages.toJson(new ClientMessage.Auth(auth)));
    }

    private void onAuthResult(RelayMessage.Ok ok) {
        authEventId = null;
        if (!ok.accepted()) {
            stats.errors.incrementAndGet();
            log.warn("{} refused our AUTH: {}", url, ok.message());
            authRefused = true;
            releaseHeldForAuth();
            return;
        }
        authenticated = true;
        log.info("authenticated to {}", url);
        for (Map.Entry<String, SubState> e : subs.entrySet()) {
            Subscription sub = pool.subscription(e.getKey());
            if (e.getValue().awaitingAuth != null && sub != null) {
                e.getValue().awaitingAuth = null;
                sendReq(sub);
            }
        }
        heldForAuth.clear();
        // Anything still pending here was refused with auth-required or never answered: send again.
        pending.values().forEach(p -> sendEvent(p.event()));
    }

    /** AUTH failed: what was held waiting for it gets the relay's original refusal after all. */
    private void releaseHeldForAuth() {
        for (Map.Entry<String, SubState> e : subs.entrySet()) {
            Subscription sub = pool.subscription(e.getKey());
            String reason = e.getValue().awaitingAuth;
            if (reason != null && sub != null) {
                e.getValue().awaitingAuth = null;
                e.getValue().refused = true;
                sub.offerClosed(url, reason);
            }
        }
        for (Map.Entry<String, String> held : Map.copyOf(heldForAuth).entrySet()) {
            PendingPublish publish = pending.get(held.getKey());
            heldForAuth.remove(held.getKey());
            if (publish != null) {
                forget(publish);
                String message = held.getValue();
                publish.answer(url, new PublishResult.Outcome.Rejected(Nip42Auth.AUTH_REQUIRED, message));
            }
        }
    }

    /** Whether an auth-required refusal may still be cured by authenticating on this connection. */
    private boolean mayAuthenticate() {
        return config.authKeys().isPresent() && !authenticated && !authRefused;
    }

    // ---- sending --------------------------------------------------------------------------------------------

    private void sendReq(Subscription sub) {
        SubState state = subs.get(sub.id());
        if (state != null) {
            state.reqSentNanos = System.nanoTime();
        }
        long margin = config.resubscribeMargin().toSeconds();
        send(Nip01Messages.toJson(new ClientMessage.Req(sub.id(), sub.filtersFor(url, margin))));
    }

    private void sendEvent(Event event) {
        sentAt.put(event.id(), System.nanoTime());
        send(Nip01Messages.toJson(new ClientMessage.Publish(event)));
    }

    private void send(String text) {
        WebSocketClient c = client;
        if (c == null || !c.isOpen()) {
            return; // everything still wanted is sent again on the next open
        }
        try {
            c.send(text);
        } catch (WebsocketNotConnectedException e) {
            log.debug("{}: send raced with a disconnect", url);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
