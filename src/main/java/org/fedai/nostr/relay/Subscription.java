package org.fedai.nostr.relay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.RelayMessage;

/**
 * One REQ of one connection. Live events that arrive while its stored events are still being read are held back and
 * sent after EOSE, so a client always sees stored events, then EOSE, then live ones, and no event twice.
 */
final class Subscription {

    private final String id;
    private final List<Filter> filters;
    private final ClientSession session;
    private List<Event> heldBack = new ArrayList<>();
    private boolean live;
    /** Volatile, not locked: closing happens on connection teardown, which must never wait for a publisher. */
    private volatile boolean closed;

    Subscription(String id, List<Filter> filters, ClientSession session) {
        this.id = id;
        this.filters = List.copyOf(filters);
        this.session = session;
    }

    String id() {
        return id;
    }

    List<Filter> filters() {
        return filters;
    }

    boolean matches(Event event) {
        for (Filter f : filters) {
            if (f.matches(event)) {
                return true;
            }
        }
        return false;
    }

    /** Sends the stored events and EOSE, then what arrived meanwhile. */
    synchronized void goLive(List<Event> stored) {
        if (closed) {
            return;
        }
        Set<String> sent = new HashSet<>();
        for (Event e : stored) {
            session.send(new RelayMessage.EventMessage(id, e));
            sent.add(e.id());
        }
        session.send(new RelayMessage.Eose(id));
        for (Event e : heldBack) {
            if (sent.add(e.id())) {
                session.sendLive(new RelayMessage.EventMessage(id, e));
            }
        }
        heldBack = null;
        live = true;
    }

    synchronized void offer(Event event) {
        if (closed) {
            return;
        }
        if (live) {
            session.sendLive(new RelayMessage.EventMessage(id, event));
        } else {
            heldBack.add(event);
        }
    }

    void close() {
        closed = true;
    }
}
