package org.fedai.nostr.relay;

/**
 * What the embedded relay accepts from one client. The defaults follow strfry's (64 KB messages, 1 KB tag values),
 * which is also what fedai's own events are built to fit (see DESIGN.md, "Rules that hold for every kind").
 *
 * @param maxMessageBytes      largest client message (and so event) in UTF-8 bytes
 * @param maxTagValueLength    longest single tag element, in characters
 * @param maxSubscriptions     open subscriptions per connection
 * @param maxFilters           filters in one REQ
 * @param maxLimit             stored events returned per filter; larger (or absent) limits are clamped to it
 * @param eventsPerSecond      token-bucket refill rate of EVENTs per connection
 * @param eventBurst           token-bucket capacity: EVENTs a connection may send at once
 * @param maxFutureSeconds     how far created_at may lie ahead of the relay's clock
 * @param maxPendingOutbound   queued outbound frames per connection before live events to it are dropped
 */
public record RelayLimits(int maxMessageBytes, int maxTagValueLength, int maxSubscriptions, int maxFilters,
        int maxLimit, double eventsPerSecond, int eventBurst, long maxFutureSeconds, int maxPendingOutbound) {

    public static final RelayLimits DEFAULTS = new RelayLimits(64 * 1024, 1024, 32, 16, 5000, 1000.0, 2000, 15 * 60,
            10_000);

    public RelayLimits {
        positive("maxMessageBytes", maxMessageBytes);
        positive("maxTagValueLength", maxTagValueLength);
        positive("maxSubscriptions", maxSubscriptions);
        positive("maxFilters", maxFilters);
        positive("maxLimit", maxLimit);
        positive("eventBurst", eventBurst);
        positive("maxPendingOutbound", maxPendingOutbound);
        if (!(eventsPerSecond > 0)) {
            throw new IllegalArgumentException("eventsPerSecond must be > 0");
        }
        if (maxFutureSeconds < 0) {
            throw new IllegalArgumentException("maxFutureSeconds must be >= 0");
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    public RelayLimits withMaxMessageBytes(int v) {
        return new RelayLimits(v, maxTagValueLength, maxSubscriptions, maxFilters, maxLimit, eventsPerSecond,
                eventBurst, maxFutureSeconds, maxPendingOutbound);
    }

    public RelayLimits withMaxSubscriptions(int v) {
        return new RelayLimits(maxMessageBytes, maxTagValueLength, v, maxFilters, maxLimit, eventsPerSecond,
                eventBurst, maxFutureSeconds, maxPendingOutbound);
    }

    public RelayLimits withMaxLimit(int v) {
        return new RelayLimits(maxMessageBytes, maxTagValueLength, maxSubscriptions, maxFilters, v, eventsPerSecond,
                eventBurst, maxFutureSeconds, maxPendingOutbound);
    }

    public RelayLimits withRate(double perSecond, int burst) {
        return new RelayLimits(maxMessageBytes, maxTagValueLength, maxSubscriptions, maxFilters, maxLimit, perSecond,
                burst, maxFutureSeconds, maxPendingOutbound);
    }

    public RelayLimits withMaxPendingOutbound(int v) {
        return new RelayLimits(maxMessageBytes, maxTagValueLength, maxSubscriptions, maxFilters, maxLimit,
                eventsPerSecond, eventBurst, maxFutureSeconds, v);
    }
}
