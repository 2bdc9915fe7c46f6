package org.fedai.nostr.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.nostr.Event;
import org.fedai.nostr.Nip01Messages;
import org.fedai.nostr.RelayMessage;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;

/**
 * One client connection's state. Its own messages are handled on one Java-WebSocket worker thread; other connections'
 * publishers reach it only through {@link #deliver}, which never blocks: a client that cannot keep up is cut off.
 */
final class ClientSession {

    private final WebSocket socket;
    private final String challenge;
    private final RelayStats stats;
    private final int maxPendingOutbound;
    final TokenBucket bucket;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private volatile String authenticatedPubkey;

    ClientSession(WebSocket socket, String challenge, RelayLimits limits, RelayStats stats) {
        this.socket = socket;
        this.challenge = challenge;
        this.stats = stats;
        this.maxPendingOutbound = limits.maxPendingOutbound();
        this.bucket = new TokenBucket(limits.eventsPerSecond(), limits.eventBurst(), System.nanoTime());
    }

    String challenge() {
        return challenge;
    }

    String authenticatedPubkey() {
        return authenticatedPubkey;
    }

    void authenticated(String pubkey) {
        authenticatedPubkey = pubkey;
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    boolean hasSubscription(String id) {
        return subscriptions.containsKey(id);
    }

    /** Registers (or replaces: NIP-01 says a reused id replaces the old subscription) a subscription. */
    Subscription subscribe(String id, java.util.List<org.fedai.nostr.Filter> filters) {
        Subscription sub = new Subscription(id, filters, this);
        Subscription old = subscriptions.put(id, sub);
        if (old != null) {
            old.close();
        }
        return sub;
    }

    void unsubscribe(String id) {
        Subscription old = subscriptions.remove(id);
        if (old != null) {
            old.close();
        }
    }

    void closeAll() {
        subscriptions.values().forEach(Subscription::close);
        subscriptions.clear();
    }

    /** Offers a newly accepted event to every matching subscription of this connection. */
    void deliver(Event event) {
        for (Subscription sub : subscriptions.values()) {
            if (sub.matches(event)) {
                sub.offer(event);
            }
        }
    }

    /** Adds to {@code into} this connection's subscriptions that {@code event} matches now (for a later delivery). */
    void matching(Event event, java.util.List<Subscription> into) {
        for (Subscription sub : subscriptions.values()) {
            if (sub.matches(event)) {
                into.add(sub);
            }
        }
    }

    /** A reply to this client's own request: always queued, the client asked for it. */
    void send(RelayMessage message) {
        try {
            socket.send(Nip01Messages.toJson(message));
        } catch (WebsocketNotConnectedException e) {
            // The client left; nothing to tell it.
        }
    }

    /**
     * A live event from someone else. When this client already has too much unsent data queued, the event is dropped
     * and the connection cut (a NOTICE would only queue behind the backlog): the client reconnects and re-subscribes
     * with {@code since}, and recovers every stored event; no publisher ever waits for it.
     */
    void sendLive(RelayMessage message) {
        if (socket instanceof WebSocketImpl impl && impl.outQueue.size() >= maxPendingOutbound) {
            stats.countDroppedOutbound();
            if (socket.isOpen()) {
                stats.countSlowClientDisconnected();
                socket.closeConnection(CloseFrame.POLICY_VALIDATION, "slow consumer: too many pending messages");
            }
            return;
        }
        send(message);
    }
}
