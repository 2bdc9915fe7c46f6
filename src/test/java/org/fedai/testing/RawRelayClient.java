package org.fedai.testing;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.ClientMessage;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.Nip01Messages;
import org.fedai.nostr.RelayMessage;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A bare NIP-01 client over Java-WebSocket for talking to third-party relays in tests: no pool, no retries,
 * no dedupe, so what a test sees is exactly what the relay sent. Every wait has a deadline.
 */
public final class RawRelayClient implements AutoCloseable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final WebSocketClient socket;
    private final Duration timeout;

    private RawRelayClient(URI url, Duration timeout) {
        this.timeout = timeout;
        this.socket = new WebSocketClient(url) {
            @Override
            public void onOpen(ServerHandshake handshake) {
            }

            @Override
            public void onMessage(String message) {
                inbox.add(message);
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
            }

            @Override
            public void onError(Exception e) {
            }
        };
    }

    public static RawRelayClient connect(URI url) throws IOException, InterruptedException {
        return connect(url, DEFAULT_TIMEOUT);
    }

    public static RawRelayClient connect(URI url, Duration timeout) throws IOException, InterruptedException {
        RawRelayClient client = new RawRelayClient(url, timeout);
        if (!client.socket.connectBlocking(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            client.socket.close();
            throw new IOException("could not connect to " + url + " within " + timeout);
        }
        return client;
    }

    public void send(ClientMessage message) {
        socket.send(Nip01Messages.toJson(message));
    }

    /** Sends the event and returns the relay's OK for it (other messages in between are skipped). */
    public RelayMessage.Ok publish(Event event) throws IOException, InterruptedException {
        send(new ClientMessage.Publish(event));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (next(deadline) instanceof RelayMessage.Ok ok && ok.eventId().equals(event.id())) {
                return ok;
            }
        }
    }

    /** Runs a REQ, collects the stored events up to EOSE, then CLOSEs the subscription. */
    public List<Event> query(String subscriptionId, Filter... filters) throws IOException, InterruptedException {
        List<Event> events = subscribe(subscriptionId, filters);
        send(new ClientMessage.Close(subscriptionId));
        return events;
    }

    /** Opens a subscription and returns its stored events up to EOSE; it stays open for {@link #nextEvent}. */
    public List<Event> subscribe(String subscriptionId, Filter... filters) throws IOException, InterruptedException {
        send(new ClientMessage.Req(subscriptionId, List.of(filters)));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> events = new ArrayList<>();
        while (true) {
            switch (next(deadline)) {
                case RelayMessage.EventMessage m when m.subscriptionId().equals(subscriptionId) -> events.add(m.event());
                case RelayMessage.Eose m when m.subscriptionId().equals(subscriptionId) -> {
                    return events;
                }
                case RelayMessage.Closed m when m.subscriptionId().equals(subscriptionId) ->
                        throw new IOException("relay closed subscription " + subscriptionId + ": " + m.message());
                default -> {
                    // another subscription's traffic, or a NOTICE: not what this subscription waits for
                }
            }
        }
    }

    /** The next event the relay delivers on an open subscription. */
    public Event nextEvent(String subscriptionId) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (next(deadline) instanceof RelayMessage.EventMessage m && m.subscriptionId().equals(subscriptionId)) {
                return m.event();
            }
        }
    }

    /** The next message from the relay, parsed; fails when none arrives by the deadline or it is malformed. */
    public RelayMessage next(long deadlineNanos) throws IOException, InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        String raw = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : inbox.poll();
        if (raw == null) {
            throw new IOException("no message from " + socket.getURI() + " within " + timeout
                    + (socket.isOpen() ? "" : " (connection closed)"));
        }
        try {
            return Nip01Messages.parseRelayMessage(raw);
        } catch (MalformedEventException e) {
            throw new IOException("relay sent a malformed message: " + raw, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.closeBlocking();
    }
}
