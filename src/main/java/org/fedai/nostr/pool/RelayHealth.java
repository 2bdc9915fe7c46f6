package org.fedai.nostr.pool;

import java.time.Duration;
import java.util.Map;

/**
 * A snapshot of one relay connection's state and counters. Counters only grow for the pool's lifetime.
 *
 * @param lastRoundTrip  time between sending the last EVENT or REQ and its OK or EOSE; null before the first one
 * @param reconnects     successful connections after the first
 * @param errors         socket errors and failed connection attempts
 * @param malformedFrames frames that are not a NIP-01 relay message (bad JSON, unknown type, binary)
 * @param notices        NOTICE messages received (each is also logged)
 * @param invalidEvents  events dropped, by reason (bad id, bad signature, not matching the filters)
 * @param duplicatesSuppressed events already delivered to the subscription from some relay
 * @param overflowDrops  events dropped because the subscription's delivery queue was full
 * @param pendingPublishes publishes this relay has not yet answered
 * @param lastError      the last socket error or failed connection attempt ("Connection refused"), "" if none
 */
public record RelayHealth(String url, boolean connected, boolean authenticated, Duration lastRoundTrip,
        long reconnects, long errors, long malformedFrames, long notices, Map<String, Long> invalidEvents,
        long duplicatesSuppressed, long overflowDrops, int pendingPublishes, String lastError) {

    public RelayHealth {
        invalidEvents = Map.copyOf(invalidEvents);
    }

    /** What a person is told about a relay that never answered: its URL and why, in one phrase. */
    public String unreachable() {
        return "relay " + url + ": " + (lastError.isEmpty() ? "no connection" : lastError.toLowerCase(java.util.Locale.ROOT));
    }

    public long invalidEventsTotal() {
        return invalidEvents.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line for logs and {@code --stats}. */
    public String summary() {
        return url + " connected=" + connected + " authenticated=" + authenticated + " rtt="
                + (lastRoundTrip == null ? "-" : lastRoundTrip.toMillis() + "ms") + " reconnects=" + reconnects
                + " errors=" + errors + " malformed=" + malformedFrames + " notices=" + notices + " invalid="
                + invalidEvents + " duplicates=" + duplicatesSuppressed + " overflow=" + overflowDrops
                + " pendingPublishes=" + pendingPublishes;
    }
}
