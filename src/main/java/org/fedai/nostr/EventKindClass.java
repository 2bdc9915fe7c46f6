package org.fedai.nostr;

/** NIP-01's storage classes of kinds, which decide what a relay keeps. */
public enum EventKindClass {
    REGULAR, REPLACEABLE, EPHEMERAL, ADDRESSABLE;

    public static EventKindClass of(int kind) {
        if (kind == 0 || kind == 3 || (kind >= 10000 && kind < 20000)) {
            return REPLACEABLE;
        }
        if (kind >= 20000 && kind < 30000) {
            return EPHEMERAL;
        }
        if (kind >= 30000 && kind < 40000) {
            return ADDRESSABLE;
        }
        return REGULAR;
    }
}
