package org.fedai.nostr.pool;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedai.nostr.Event;

/** Keeps everything a subscription delivered, for assertions. */
class RecordingListener implements EventListener {

    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> eventRelays = new CopyOnWriteArrayList<>();
    final Set<String> eose = ConcurrentHashMap.newKeySet();
    final Map<String, String> closed = new ConcurrentHashMap<>();

    @Override
    public void onEvent(Event event, String relayUrl) {
        events.add(event);
        eventRelays.add(relayUrl);
    }

    @Override
    public void onEose(String relayUrl) {
        eose.add(relayUrl);
    }

    @Override
    public void onClosed(String relayUrl, String reason) {
        closed.put(relayUrl, reason);
    }

    List<String> ids() {
        return events.stream().map(Event::id).toList();
    }

    long count(Event event) {
        return events.stream().filter(e -> e.id().equals(event.id())).count();
    }
}
