package org.fedai.nostr;

/** NIP-01 (and NIP-42) messages a relay sends to a client. */
public sealed interface RelayMessage {

    record EventMessage(String subscriptionId, Event event) implements RelayMessage {
    }

    /** {@code message} carries NIP-01's machine-readable prefix ("duplicate:", "blocked:", "invalid:", ...). */
    record Ok(String eventId, boolean accepted, String message) implements RelayMessage {
        /** The machine-readable prefix before the first colon, or "" when there is none. */
        public String prefix() {
            int colon = message.indexOf(':');
            return colon < 0 ? "" : message.substring(0, colon);
        }
    }

    record Eose(String subscriptionId) implements RelayMessage {
    }

    record Closed(String subscriptionId, String message) implements RelayMessage {
    }

    record Notice(String message) implements RelayMessage {
    }

    record AuthChallenge(String challenge) implements RelayMessage {
    }
}
