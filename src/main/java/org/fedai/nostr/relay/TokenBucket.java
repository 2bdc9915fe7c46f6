package org.fedai.nostr.relay;

/** A per-connection token bucket: {@code burst} events at once, refilled at {@code perSecond}. Not thread-safe. */
final class TokenBucket {

    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    TokenBucket(double perSecond, int burst, long nowNanos) {
        this.perSecond = perSecond;
        this.capacity = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    boolean tryTake(long nowNanos) {
        double elapsed = Math.max(0, nowNanos - lastNanos) / 1e9;
        lastNanos = nowNanos;
        tokens = Math.min(capacity, tokens + elapsed * perSecond);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
