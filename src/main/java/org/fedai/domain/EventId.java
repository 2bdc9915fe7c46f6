package org.fedai.domain;

/** A Nostr event's id: the sha256 of its NIP-01 serialisation. */
public record EventId(String hex) {

    public EventId {
        HexId.check(hex, "an event id");
    }

    public static EventId of(String hex) {
        return new EventId(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
