package org.fedai.nostr.relay;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.server.WebSocketServer;

/**
 * Re-arms the write interest of server connections that hold queued frames, working around a race in Java-WebSocket's
 * {@code WebSocketServer} (1.6.0). Its selector thread, having written a connection's queue empty, sets the key's
 * interest to read only; a thread that sends meanwhile queues its frame and sets read and write on the same key. When
 * the send falls between the selector's last look at the queue and its reset, the reset wins and the frame waits for
 * the next one on that connection (or the 60 s ping). The window is a few instructions wide, so it is rare, but a
 * test that waited 10 s for its OK on a loaded CI machine failed so now and then. The library offers no hook in that path ({@code onWriteDemand} is final), so
 * this asks it again for every connection with buffered data, every {@link #EVERY}: a stall lasts at most that long,
 * and a connection the selector is already writing is only asked twice.
 */
public final class WriteStallGuard {

    public static final Duration EVERY = Duration.ofMillis(25);

    private WriteStallGuard() {
    }

    /** Starts checking {@code server}'s connections on {@code executor}; cancel the returned future to stop. */
    public static ScheduledFuture<?> watch(WebSocketServer server, ScheduledExecutorService executor) {
        long every = EVERY.toMillis();
        return executor.scheduleWithFixedDelay(() -> rearm(server), every, every, TimeUnit.MILLISECONDS);
    }

    /** One pass: ask the selector to write each connection that has frames queued. */
    public static void rearm(WebSocketServer server) {
        for (WebSocket conn : server.getConnections()) {
            if (conn.isOpen() && conn.hasBufferedData()) {
                try {
                    server.onWriteDemand(conn);
                } catch (RuntimeException closing) {
                    // the connection is closing under us: nothing left to write to it
                }
            }
        }
    }
}
