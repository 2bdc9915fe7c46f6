package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The state Java-WebSocket's server race leaves behind, made on purpose: a frame in a connection's queue with the
 * selector asked to read only (the frame queued without the write demand that the selector's reset overwrote).
 */
class WriteStallGuardTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private WebSocketServer server;
    private WebSocketClient client;

    @BeforeEach
    void connect() throws Exception {
        server = new WebSocketServer(new InetSocketAddress("127.0.0.1", 0)) {
            @Override public void onOpen(WebSocket conn, ClientHandshake handshake) { }
            @Override public void onClose(WebSocket conn, int code, String reason, boolean remote) { }
            @Override public void onMessage(WebSocket conn, String message) { }
            @Override public void onError(WebSocket conn, Exception ex) { }
            @Override public void onStart() { started.countDown(); }
        };
        server.setDaemon(true);
        server.start();
        assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        client = new WebSocketClient(URI.create("ws://127.0.0.1:" + server.getPort())) {
            @Override public void onOpen(ServerHandshake handshake) { }
            @Override public void onMessage(String message) { received.add(message); }
            @Override public void onClose(int code, String reason, boolean remote) { }
            @Override public void onError(Exception ex) { }
        };
        assertThat(client.connectBlocking(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        await().atMost(WAIT).until(() -> server.getConnections().size() == 1);
    }

    @AfterEach
    void close() throws Exception {
        client.closeBlocking();
        server.stop(1000);
    }

    /** Queues a text frame the way a send does, minus the write demand: what a lost race leaves. */
    private WebSocketImpl stall(String text) throws InterruptedException {
        WebSocketImpl conn = (WebSocketImpl) server.getConnections().iterator().next();
        for (var frame : conn.getDraft().createFrames(text, false)) {
            ByteBuffer bytes = conn.getDraft().createBinaryFrame(frame);
            conn.outQueue.put(bytes);
        }
        return conn;
    }

    @Test
    void aFrameLeftQueuedWithoutWriteInterestIsSentOnRearm() throws Exception {
        WebSocketImpl conn = stall("[\"OK\",\"stalled\",true,\"\"]");
        assertThat(conn.hasBufferedData()).as("the selector does not write a key it was told only to read").isTrue();

        WriteStallGuard.rearm(server);

        await().atMost(WAIT).until(() -> received.contains("[\"OK\",\"stalled\",true,\"\"]"));
        await().atMost(WAIT).until(() -> !conn.hasBufferedData());
    }

    @Test
    void theWatchRearmsOnItsOwnAndConnectionsWithNothingQueuedAreLeftAlone() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            var watch = WriteStallGuard.watch(server, executor);
            client.send("keep the read side busy");
            stall("late");
            await().atMost(WAIT).until(() -> received.contains("late"));
            assertThat(watch.isDone()).as("a pass over idle connections throws nothing that ends the watch").isFalse();
        } finally {
            executor.shutdownNow();
        }
    }
}
