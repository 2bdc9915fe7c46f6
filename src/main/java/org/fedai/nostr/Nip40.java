package org.fedai.nostr;

import java.util.List;
import java.util.Optional;

/**
 * NIP-40 expiration timestamp (https://github.com/nostr-protocol/nips/blob/master/40.md):
 * {@code ["expiration", "<unix seconds>"]}. An event is expired from that second on.
 */
public final class Nip40 {

    public static final String TAG = "expiration";

    /** Why an expiration tag could not be read. */
    public enum Error {
        MISSING_VALUE("expiration tag has no value"),
        NOT_AN_INTEGER("expiration value is not a decimal integer"),
        NEGATIVE("expiration value is negative");

        private final String reason;

        Error(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** A malformed expiration tag, with its {@link Error}. */
    public static final class InvalidExpiration extends IllegalArgumentException {
        private final Error error;

        InvalidExpiration(Error error) {
            super(error.reason());
            this.error = error;
        }

        public Error error() {
            return error;
        }
    }

    private Nip40() {
    }

    public static List<String> tag(long expiresAt) {
        if (expiresAt < 0) {
            throw new IllegalArgumentException("expiration must be non-negative");
        }
        return List.of(TAG, Long.toString(expiresAt));
    }

    /** Parses one raw tag; empty when it is not an expiration tag. */
    public static Optional<Long> parse(List<String> tag) {
        if (tag.isEmpty() || !tag.get(0).equals(TAG)) {
            return Optional.empty();
        }
        if (tag.size() < 2) {
            throw new InvalidExpiration(Error.MISSING_VALUE);
        }
        String value = tag.get(1);
        if (value.startsWith("-") && value.length() > 1 && value.chars().skip(1).allMatch(Character::isDigit)) {
            throw new InvalidExpiration(Error.NEGATIVE);
        }
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidExpiration(Error.NOT_AN_INTEGER);
        }
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException tooLarge) {
            throw new InvalidExpiration(Error.NOT_AN_INTEGER);
        }
    }

    /** The event's expiration (its first expiration tag); {@link InvalidExpiration} if malformed. */
    public static Optional<Long> expiration(Event event) {
        for (List<String> tag : event.tags()) {
            Optional<Long> parsed = parse(tag);
            if (parsed.isPresent()) {
                return parsed;
            }
        }
        return Optional.empty();
    }

    /**
     * True once {@code nowSeconds} has reached the expiration. A malformed tag counts as expired:
     * the author asked for a limit we cannot read, so keeping the event forever is the wrong default.
     */
    public static boolean isExpired(Event event, long nowSeconds) {
        try {
            return expiration(event).map(at -> nowSeconds >= at).orElse(false);
        } catch (InvalidExpiration malformed) {
            return true;
        }
    }
}
