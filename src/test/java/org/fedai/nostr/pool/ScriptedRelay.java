package org.fedai.nostr.pool;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.ClientMessage;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.Filter;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.Nip01Messages;
import org.fedai.nostr.RelayMessage;
import org.fedai.nostr.relay.WriteStallGuard;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A small NIP-01 relay on Java-WebSocket's server that a test can script: store and answer normally, or drop
 * connections, send garbage or forged events, delay or withhold OK, demand NIP-42 AUTH, restart on its port.
 */
public final class ScriptedRelay implements TestRelay {

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<ClientMessage> received = new CopyOnWriteArrayList<>();
    private final List<String> authenticated = new CopyOnWriteArrayList<>();
    private final Map<WebSocket, Session> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scripted-relay-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile Server server;
    private ScheduledFuture<?> writeStallGuard;
    private volatile int port;
    private volatile boolean withholdOk;
    private volatile Duration okDelay = Duration.ZERO;
    private volatile String rejectWith;
    private volatile boolean requireAuth;
    private volatile boolean refuseAuth;

    private static final class Session {
        final String challenge = UUID.randomUUID().toString();
        final Map<String, List<Filter>> subs = new ConcurrentHashMap<>();
        volatile boolean authed;
    }

    public static ScriptedRelay started() throws Exception {
        ScriptedRelay relay = new ScriptedRelay();
        relay.start();
        return relay;
    }

    @Override
    public String url() {
        return "ws://127.0.0.1:" + port;
    }

    @Override
    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        Server s = new Server(new InetSocketAddress("127.0.0.1", port));
        s.setReuseAddr(true);
        s.start();
        if (!s.started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("scripted relay did not start");
        }
        port = s.getPort();
        server = s;
        writeStallGuard = WriteStallGuard.watch(s, timer);
    }

    @Override
    public synchronized void stop() throws Exception {
        Server s = server;
        server = null;
        if (writeStallGuard != null) {
            writeStallGuard.cancel(false);
            writeStallGuard = null;
        }
        if (s != null) {
            s.stop(1000);
        }
        sessions.clear();
    }

    // ---- script ---------------------------------------------------------------------------------------------

    /** Events the relay holds: what clients published plus what {@link #store} put there. */
    public List<Event> stored() {
        return List.copyOf(events);
    }

    /** Every client message received, parsed, in order. */
    public List<ClientMessage> received() {
        return List.copyOf(received);
    }

    public List<ClientMessage.Req> reqs() {
        return received.stream().filter(m -> m instanceof ClientMessage.Req).map(m -> (ClientMessage.Req) m)
                .toList();
    }

    /** Pubkeys that passed NIP-42 AUTH. */
    public List<String> authenticatedPubkeys() {
        return List.copyOf(authenticated);
    }

    /** Puts an event in the store as if another client had published it (works while stopped too). */
    public void store(Event event) {
        events.add(event);
        broadcast(event, true);
    }

    /** Sends this event on every open subscription, whatever its filters and whether it verifies. */
    public void sendToSubscriptions(Event event) {
        broadcast(event, false);
    }

    /** Sends a raw text frame to every client. */
    public void sendRaw(String frame) {
        sessions.keySet().forEach(c -> c.send(frame));
    }

    /** Sends a binary frame to every client. */
    public void sendBinary(byte[] frame) {
        sessions.keySet().forEach(c -> c.send(frame));
    }

    /** Abruptly closes every client connection; the server keeps listening. */
    public void dropConnections() {
        sessions.keySet().forEach(c -> c.closeConnection(1006, "dropped by script"));
    }

    public int connectionCount() {
        return sessions.size();
    }

    /** Subscriptions currently open across clients. */
    public int openSubscriptionCount() {
        return sessions.values().stream().mapToInt(s -> s.subs.size()).sum();
    }

    public void withholdOk(boolean withhold) {
        withholdOk = withhold;
    }

    public void delayOk(Duration delay) {
        okDelay = delay;
    }

    /** Answers every EVENT with OK false and this message (null to accept again). */
    public void rejectWith(String message) {
        rejectWith = message;
    }

    /** Sends an AUTH challenge on connect and refuses REQ and EVENT with auth-required until it is answered. */
    public void requireAuth(boolean required) {
        requireAuth = required;
    }

    /** Answers every AUTH with OK false. */
    public void refuseAuth(boolean refuse) {
        refuseAuth = refuse;
    }

    // ---- protocol -------------------------------------------------------------------------------------------

    private void broadcast(Event event, boolean onlyMatching) {
        sessions.forEach((conn, session) -> session.subs.forEach((subId, filters) -> {
            if (!onlyMatching || filters.stream().anyMatch(f -> f.matches(event))) {
                conn.send(Nip01Messages.toJson(new RelayMessage.EventMessage(subId, event)));
            }
        }));
    }

    private void onMessage(WebSocket conn, String text) {
        Session session = sessions.get(conn);
        if (session == null) {
            return;
        }
        ClientMessage message;
        try {
            message = Nip01Messages.parseClientMessage(text);
        } catch (MalformedEventException e) {
            conn.send(Nip01Messages.toJson(new RelayMessage.Notice("error: " + e.getMessage())));
            return;
        }
        received.add(message);
        switch (message) {
            case ClientMessage.Req req -> {
                if (requireAuth && !session.authed) {
                    conn.send(Nip01Messages.toJson(new RelayMessage.Closed(req.subscriptionId(),
                            "auth-required: we only serve authenticated users")));
                    return;
                }
                session.subs.put(req.subscriptionId(), req.filters());
                for (Event e : events) {
                    if (req.filters().stream().anyMatch(f -> f.matches(e))) {
                        conn.send(Nip01Messages.toJson(new RelayMessage.EventMessage(req.subscriptionId(), e)));
                    }
                }
                conn.send(Nip01Messages.toJson(new RelayMessage.Eose(req.subscriptionId())));
            }
            case ClientMessage.Close close -> session.subs.remove(close.subscriptionId());
            case ClientMessage.Publish publish -> onEvent(conn, session, publish.event());
            case ClientMessage.Auth auth -> onAuth(conn, session, auth.event());
        }
    }

    private void onEvent(WebSocket conn, Session session, Event event) {
        RelayMessage.Ok ok;
        EventCheck check = EventVerifier.check(event);
        if (requireAuth && !session.authed) {
            ok = new RelayMessage.Ok(event.id(), false, "auth-required: publish after AUTH");
        } else if (!check.valid()) {
            ok = new RelayMessage.Ok(event.id(), false, check.reason());
        } else if (rejectWith != null) {
            ok = new RelayMessage.Ok(event.id(), false, rejectWith);
        } else if (events.stream().anyMatch(e -> e.id().equals(event.id()))) {
            ok = new RelayMessage.Ok(event.id(), true, "duplicate: already have this event");
        } else {
            events.add(event);
            broadcast(event, true);
            ok = new RelayMessage.Ok(event.id(), true, "");
        }
        if (withholdOk) {
            return;
        }
        String frame = Nip01Messages.toJson(ok);
        Duration delay = okDelay;
        if (delay.isZero()) {
            conn.send(frame);
        } else {
            timer.schedule(() -> {
                if (conn.isOpen()) {
                    conn.send(frame);
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void onAuth(WebSocket conn, Session session, Event event) {
        boolean ok = !refuseAuth && EventVerifier.isValid(event) && event.kind() == Nip42Auth.KIND
                && event.firstTagValue("challenge").orElse("").equals(session.challenge)
                && event.firstTagValue("relay").orElse("").equals(url());
        if (ok) {
            session.authed = true;
            authenticated.add(event.pubkey());
        }
        conn.send(Nip01Messages.toJson(new RelayMessage.Ok(event.id(), ok, ok ? "" : "restricted: not on the member list")));
    }

    private final class Server extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);

        Server(InetSocketAddress address) {
            super(address);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            Session session = new Session();
            sessions.put(conn, session);
            if (requireAuth) {
                conn.send(Nip01Messages.toJson(new RelayMessage.AuthChallenge(session.challenge)));
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            sessions.remove(conn);
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            ScriptedRelay.this.onMessage(conn, message);
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            // a client vanishing mid-frame is part of what these tests do
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
