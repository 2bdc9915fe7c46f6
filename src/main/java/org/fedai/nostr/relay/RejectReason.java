package org.fedai.nostr.relay;

/** Why the relay refused something, each with its NIP-01 machine-readable prefix; {@link RelayStats} counts them. */
public enum RejectReason {
    DUPLICATE("duplicate"),
    NEWER_VERSION_STORED("duplicate"),
    MALFORMED("invalid"),
    BAD_ID_OR_SIGNATURE("invalid"),
    TOO_LARGE("invalid"),
    TAG_TOO_LONG("invalid"),
    CREATED_AT_IN_FUTURE("invalid"),
    EXPIRED("invalid"),
    AUTH_KIND_AS_EVENT("invalid"),
    BAD_AUTH("invalid"),
    TOO_MANY_FILTERS("invalid"),
    TOO_MANY_SUBSCRIPTIONS("rate-limited"),
    RATE_LIMITED("rate-limited"),
    DELETED("blocked"),
    AUTH_REQUIRED("auth-required"),
    RESTRICTED("restricted"),
    STORE_ERROR("error");

    private final String prefix;

    RejectReason(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** The OK/CLOSED message: {@code "<prefix>: <detail>"}. */
    public String message(String detail) {
        return prefix + ": " + detail;
    }
}
