package org.fedai.protocol;

/** Why a received fedai event was refused: a machine-readable reason and a human detail. */
public record Rejection(Reason reason, String detail) {

    public enum Reason {
        WRONG_KIND, MISSING_TAG, MALFORMED_TAG, MALFORMED_CONTENT, INCONSISTENT, EXPIRED, STALE, TOO_LARGE,
        UNSUPPORTED_VERSION, NOT_FOR_US, UNDECRYPTABLE, WRONG_ROUND, NOT_ENROLLED;

        /** The snake_case code used in logs, counters and event-kinds/. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return reason.code() + ": " + detail;
    }
}
