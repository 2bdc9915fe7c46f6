package org.fedai.nostr.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;

/** Events and pool settings shared by the pool tests. */
final class PoolTestSupport {

    static final KeyPair ALICE = KeyPair.generate();

    private PoolTestSupport() {
    }

    /** Fast reconnects so restart tests finish in well under a second of backoff. */
    static RelayPoolConfig fastConfig() {
        return RelayPoolConfig.defaults().withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    static Event note(String content) {
        return note(content, Instant.now().getEpochSecond());
    }

    static Event note(String content, long createdAt) {
        return EventSigner.sign(new UnsignedEvent(createdAt, 1, List.of(), content), ALICE);
    }

    static Event event(int kind, String content, List<List<String>> tags) {
        return EventSigner.sign(UnsignedEvent.of(kind, content, tags), ALICE);
    }

    /** Same content and id, signature of a different event: must fail BIP-340 verification. */
    static Event badSignature(Event event) {
        Event other = note(event.content() + " other");
        return new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content(),
                other.sig());
    }

    /** Signature and id kept, content changed: the id no longer matches. */
    static Event tampered(Event event) {
        return new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(),
                event.content() + "!", event.sig());
    }

    static List<Event> notes(int n) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(note("note " + i));
        }
        return out;
    }
}
