package org.fedai.nostr.pool;

import java.net.URI;
import java.nio.ByteBuffer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection attempt of a {@link RelayConnection}; a new one is made for every reconnect, and the connection
 * ignores the callbacks of stale ones. Only hands the socket's callbacks over: all state stays in the connection.
 */
final class RelaySocket extends WebSocketClient {

    // the connection's logger: what a socket reports belongs with its relay's log lines
    private static final Logger log = LoggerFactory.getLogger(RelayConnection.class);

    private final RelayConnection owner;

    RelaySocket(URI uri, RelayConnection owner) {
        super(uri);
        this.owner = owner;
        setTcpNoDelay(true);
        setDaemon(true); // a pool nobody closed must not keep the JVM alive
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        owner.opened(this);
    }

    @Override
    public void onMessage(String text) {
        owner.received(this, text);
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        owner.stats.malformedFrames.incrementAndGet(); // NIP-01 is text frames only
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        owner.closed(this, code, reason);
    }

    @Override
    public void onError(Exception e) {
        owner.stats.error(e);
        log.debug("{}: {}", owner.url(), e.toString());
    }
}
