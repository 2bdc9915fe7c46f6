package org.fedai.nostr;

/** The outcome of checking an event's id and signature; each failure names a machine-readable reason. */
public enum EventCheck {
    VALID("valid"),
    MALFORMED_ID("invalid: id is not 64 lower-case hex characters"),
    MALFORMED_PUBKEY("invalid: pubkey is not 64 lower-case hex characters"),
    MALFORMED_SIG("invalid: sig is not 128 lower-case hex characters"),
    ID_MISMATCH("invalid: id does not match the event's sha256"),
    BAD_SIGNATURE("invalid: signature does not verify");

    private final String reason;

    EventCheck(String reason) {
        this.reason = reason;
    }

    public boolean valid() {
        return this == VALID;
    }

    /** NIP-01 style reason, prefixed with {@code invalid:} for failures. */
    public String reason() {
        return reason;
    }
}
