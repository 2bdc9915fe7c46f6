package org.fedai.nostr;

import java.util.List;

/** NIP-01 (and NIP-42) messages a client sends to a relay. */
public sealed interface ClientMessage {

    record Publish(Event event) implements ClientMessage {
    }

    record Req(String subscriptionId, List<Filter> filters) implements ClientMessage {
        public Req {
            filters = List.copyOf(filters);
        }
    }

    record Close(String subscriptionId) implements ClientMessage {
    }

    /** NIP-42: a signed kind 22242 event answering the relay's challenge. */
    record Auth(Event event) implements ClientMessage {
    }
}
