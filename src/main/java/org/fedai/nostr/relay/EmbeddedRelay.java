package org.fedai.nostr.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedai.nostr.EventKindClass;
import org.fedai.nostr.Hex;
import org.fedai.nostr.RelayMessage;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fedai's embedded NIP-01 relay: a Java-WebSocket server on loopback, NIP-09 deletions, NIP-40 expiry, optional
 * NIP-42 auth, limits from {@link RelayLimits}, storage behind {@link EventStore}. It is the demo's default relay and
 * the relay pool's test target; real deployments use strfry, nostr-rs-relay and the like.
 *
 * <p>{@link #start()} returns once the socket is listening; {@link #close()} stops it and closes the store.
 */
public final class EmbeddedRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRelay.class);
    /** The library's own frame cap, far above our message limit so that we can answer oversize EVENTs with OK. */
    private static final int HARD_FRAME_FACTOR = 4;

    private final RelayConfig config;
    private final EventStore store;
    private final RelayStats stats = new RelayStats();
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final RelayHandler handler;
    private final Server server;
    private final CompletableFuture<Void> listening = new CompletableFuture<>();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService sweeper;
    private final LiveDelivery live;
    private volatile boolean closed;

    public EmbeddedRelay(RelayConfig config, EventStore store) {
        this.config = config;
        this.store = store;
        this.live = new LiveDelivery(config.deliveryDelay());
        this.handler = new RelayHandler(config, store, stats, sessions, this::publicUrl, live);
        int hardLimit = (int) Math.min(Integer.MAX_VALUE, (long) config.limits().maxMessageBytes() * HARD_FRAME_FACTOR);
        this.server = new Server(new InetSocketAddress(config.host(), config.port()),
                List.of(new Draft_6455(List.of(), hardLimit)));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-sweep");
            t.setDaemon(true);
            return t;
        });
    }

    /** An in-memory relay on an ephemeral loopback port with default limits. */
    public static EmbeddedRelay inMemory() {
        return new EmbeddedRelay(RelayConfig.defaults(), new InMemoryEventStore());
    }

    /** Binds and starts serving; returns once listening. */
    public EmbeddedRelay start() throws IOException {
        server.setReuseAddr(true);
        // Nostr frames are small: with Nagle's algorithm each one waits for the ACK of the one before, which a
        // delayed-ACK peer holds back up to 40 ms; that was most of a free job's latency on loopback
        server.setTcpNoDelay(true);
        server.setDaemon(true);
        server.start();
        try {
            listening.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("relay could not listen on " + config.host() + ":" + config.port() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("relay did not start listening within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the relay", e);
        }
        long every = config.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepExpiredQuietly, every, every, TimeUnit.MILLISECONDS);
        WriteStallGuard.watch(server, sweeper);
        return this;
    }

    public int port() {
        return server.getPort();
    }

    /** {@code ws://host:port}, the URL clients connect to. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "ws://" + host + ":" + port();
    }

    /** The URL clients must name in NIP-42 relay tags. */
    public String publicUrl() {
        return config.publicUrl() == null ? url() : config.publicUrl();
    }

    public RelayStats stats() {
        return stats;
    }

    public EventStore store() {
        return store;
    }

    public RelayConfig config() {
        return config;
    }

    /** How long each live delivery waits now (starts as {@link RelayConfig#deliveryDelay()}). */
    public Duration deliveryDelay() {
        return live.delay();
    }

    /**
     * Changes the delivery delay for events accepted from now on (a benchmark compares delays on one running market);
     * events already waiting keep theirs.
     */
    public void setDeliveryDelay(Duration delay) {
        live.setDelay(delay);
    }

    LiveDelivery live() {
        return live;
    }

    /** Purges events expired under NIP-40 now; also runs every {@link RelayConfig#sweepInterval()}. */
    public int sweepExpired() {
        long now = config.clock().instant().getEpochSecond();
        int purged = store.purgeExpired(now);
        stats.countExpiredPurged(purged);
        for (EventKindClass c : EventKindClass.values()) {
            int old = config.retention().of(c).map(keep -> store.purgeOlderThan(c, now - keep.toSeconds())).orElse(0);
            stats.countExpiredPurged(old);
            purged += old;
        }
        return purged;
    }

    private void sweepExpiredQuietly() {
        try {
            sweepExpired();
        } catch (RuntimeException e) {
            LOG.warn("expiry sweep failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sweeper.shutdownNow();
        live.close();
        try {
            server.stop(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sessions.forEach(ClientSession::closeAll);
        sessions.clear();
        store.close();
    }

    private final class Server extends WebSocketServer {

        Server(InetSocketAddress address, List<org.java_websocket.drafts.Draft> drafts) {
            super(address, drafts);
        }

        @Override
        public void onStart() {
            listening.complete(null);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            ClientSession session = new ClientSession(conn, Hex.encode(nonce), config.limits(), stats);
            conn.setAttachment(session);
            sessions.add(session);
            stats.countConnectionOpened();
            if (config.authRequired()) {
                session.send(new RelayMessage.AuthChallenge(session.challenge()));
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            ClientSession session = conn.getAttachment();
            if (session != null && sessions.remove(session)) {
                session.closeAll();
                stats.countConnectionClosed();
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            ClientSession session = conn.getAttachment();
            if (session != null) {
                handler.onText(session, message);
            }
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            ClientSession session = conn.getAttachment();
            if (session != null) {
                stats.countRejected(RejectReason.MALFORMED);
                handler.notice(session, RejectReason.MALFORMED.message("binary messages are not supported"));
            }
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            if (conn == null) {
                // Errors without a connection are the server's own: a failed bind ends the server thread.
                if (!listening.completeExceptionally(ex)) { // before listening, start() reports it
                    LOG.warn("relay server error: {}", ex.toString());
                }
            } else {
                LOG.debug("connection error from {}: {}", conn.getRemoteSocketAddress(), ex.toString());
            }
        }
    }
}
