package org.fedai.nostr.relay;

import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;

/** Real signed events for relay tests. */
final class TestEvents {

    private TestEvents() {
    }

    /** tags are given flat as name, value pairs: {@code "d", "x", "e", id}. */
    static Event signed(KeyPair keys, int kind, long createdAt, String content, String... tagPairs) {
        List<List<String>> tags = new ArrayList<>();
        for (int i = 0; i + 1 < tagPairs.length; i += 2) {
            tags.add(List.of(tagPairs[i], tagPairs[i + 1]));
        }
        return EventSigner.sign(new UnsignedEvent(createdAt, kind, tags, content), keys);
    }

    static List<String> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }
}
