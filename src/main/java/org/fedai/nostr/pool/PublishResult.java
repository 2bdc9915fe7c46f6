package org.fedai.nostr.pool;

import java.util.Map;

/** What each relay said about one published event, in the order the relays were added. */
public record PublishResult(String eventId, Map<String, Outcome> outcomes) {

    public PublishResult {
        outcomes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outcomes));
    }

    /** True when at least one relay stored the event. */
    public boolean acceptedByAny() {
        return outcomes.values().stream().anyMatch(o -> o instanceof Outcome.Accepted);
    }

    /** One relay's answer to an EVENT. */
    public sealed interface Outcome {

        /** {@code message} may be empty, or e.g. "duplicate: already have this event". */
        record Accepted(String message) implements Outcome {
        }

        /** {@code prefix} is NIP-01's machine-readable part ("invalid", "blocked", "auth-required", ...). */
        record Rejected(String prefix, String message) implements Outcome {
        }

        /** No OK arrived before the deadline (relay down, or silent). */
        record TimedOut() implements Outcome {
        }

        default boolean accepted() {
            return this instanceof Accepted;
        }

        default String message() {
            return switch (this) {
                case Accepted a -> a.message();
                case Rejected r -> r.message();
                case TimedOut t -> "timed out";
            };
        }
    }
}
