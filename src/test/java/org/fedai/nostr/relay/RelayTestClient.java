package org.fedai.nostr.relay;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.ClientMessage;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.Nip01Messages;
import org.fedai.nostr.RelayMessage;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** A bare Java-WebSocket client that records every relay message in order; tests read and wait on the record. */
final class RelayTestClient extends WebSocketClient {

    static final Duration WAIT = Duration.ofSeconds(10);

    final List<RelayMessage> received = new CopyOnWriteArrayList<>();
    /** {@link System#nanoTime()} as each message of {@link #received} came in, at the same index. */
    final List<Long> receivedAt = new CopyOnWriteArrayList<>();
    final List<String> unparsed = new CopyOnWriteArrayList<>();
    volatile Integer closeCode;

    private RelayTestClient(URI uri) {
        super(uri);
    }

    static RelayTestClient connect(String url) throws InterruptedException {
        RelayTestClient client = new RelayTestClient(URI.create(url));
        if (!client.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not connect to " + url);
        }
        return client;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
        try {
            RelayMessage parsed = Nip01Messages.parseRelayMessage(message);
            receivedAt.add(System.nanoTime());
            received.add(parsed);
        } catch (MalformedEventException e) {
            unparsed.add(message);
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeCode = code;
    }

    @Override
    public void onError(Exception ex) {
    }

    void sendMessage(ClientMessage message) {
        send(Nip01Messages.toJson(message));
    }

    RelayMessage.Ok publish(Event event) {
        int mark = received.size();
        sendMessage(new ClientMessage.Publish(event));
        return awaitFrom(mark, RelayMessage.Ok.class, ok -> ok.eventId().equals(event.id()));
    }

    /** Sends a REQ and returns the stored events sent before its EOSE; fails if the relay answers CLOSED. */
    List<Event> query(String sub, Filter... filters) {
        int mark = received.size();
        sendMessage(new ClientMessage.Req(sub, Arrays.asList(filters)));
        RelayMessage end = awaitFrom(mark, RelayMessage.class, m -> (m instanceof RelayMessage.Eose e
                && e.subscriptionId().equals(sub)) || (m instanceof RelayMessage.Closed c
                && c.subscriptionId().equals(sub)));
        if (end instanceof RelayMessage.Closed c) {
            throw new AssertionError("REQ " + sub + " was closed: " + c.message());
        }
        List<RelayMessage> snapshot = List.copyOf(received);
        int endIndex = mark;
        while (snapshot.get(endIndex) != end) {
            endIndex++;
        }
        List<Event> events = new ArrayList<>();
        for (RelayMessage m : snapshot.subList(mark, endIndex)) {
            if (m instanceof RelayMessage.EventMessage em && em.subscriptionId().equals(sub)) {
                events.add(em.event());
            }
        }
        return events;
    }

    /** Sends a REQ the relay is expected to refuse and returns its CLOSED. */
    RelayMessage.Closed refusedQuery(String sub, Filter... filters) {
        int mark = received.size();
        sendMessage(new ClientMessage.Req(sub, Arrays.asList(filters)));
        return awaitFrom(mark, RelayMessage.Closed.class, c -> c.subscriptionId().equals(sub));
    }

    /** Every event delivered to this subscription so far (stored and live). */
    List<Event> eventsFor(String sub) {
        List<Event> events = new ArrayList<>();
        for (RelayMessage m : received) {
            if (m instanceof RelayMessage.EventMessage em && em.subscriptionId().equals(sub)) {
                events.add(em.event());
            }
        }
        return events;
    }

    /** When {@code message} (one of {@link #received}, by identity) came in, in {@link System#nanoTime()}. */
    long arrivalOf(RelayMessage message) {
        for (int i = 0; i < received.size(); i++) {
            if (received.get(i) == message) {
                return receivedAt.get(i);
            }
        }
        throw new IllegalArgumentException("not received: " + message);
    }

    <T extends RelayMessage> T awaitFrom(int mark, Class<T> type, java.util.function.Predicate<T> condition) {
        return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> find(mark, type, condition), java.util.Objects::nonNull);
    }

    <T extends RelayMessage> T find(int mark, Class<T> type, java.util.function.Predicate<T> condition) {
        List<RelayMessage> snapshot = List.copyOf(received);
        for (int i = mark; i < snapshot.size(); i++) {
            RelayMessage m = snapshot.get(i);
            if (type.isInstance(m) && condition.test(type.cast(m))) {
                return type.cast(m);
            }
        }
        return null;
    }
}
