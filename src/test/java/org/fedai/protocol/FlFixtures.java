package org.fedai.protocol;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;

/** A task, an aggregator, three enrolled participants and an outsider, for the federation codec tests. */
final class FlFixtures {

    static final KeyPair COORDINATOR = KeyPair.generate();
    static final KeyPair P1 = KeyPair.generate();
    static final KeyPair P2 = KeyPair.generate();
    static final KeyPair P3 = KeyPair.generate();
    static final KeyPair OUTSIDER = KeyPair.generate();
    static final String TASK = FlContext.taskAddress(COORDINATOR.publicKey(), "mnist-1");
    static final FlContext OPEN = new FlContext(TASK, 3, Map.of());
    static final FlContext ROUND = new FlContext(TASK, 3, Map.of("p1", P1.publicKey(), "p2", P2.publicKey(),
            "p3", P3.publicKey()));

    private FlFixtures() {
    }

    static <T> Rejection.Reason reason(Decoded<T> d) {
        return d instanceof Decoded.Rejected<T> r ? r.rejection().reason() : null;
    }

    static String key(int b) {
        return String.format("%02x", b).repeat(32);
    }

    /** The plain event with its content edited, re-signed by {@code author}. */
    static Event edited(Event e, KeyPair author, UnaryOperator<String> edit) {
        return EventSigner.sign(new UnsignedEvent(e.createdAt(), e.kind(), e.tags(), edit.apply(e.content())), author);
    }

    static Event withTag(Event e, KeyPair author, String name, String value) {
        return EventSigner.sign(new UnsignedEvent(e.createdAt(), e.kind(),
                ProtocolFixtures.replacing(e, name, value), e.content()), author);
    }
}
