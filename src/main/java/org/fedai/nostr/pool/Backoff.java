package org.fedai.nostr.pool;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential reconnect backoff with "equal jitter": half the capped exponential delay is fixed, the other half
 * random, so a fleet of clients that lost the same relay does not return in lockstep yet never retries at once.
 */
record Backoff(Duration base, Duration max) {

    Duration delay(int failedAttempts, RandomGenerator random) {
        long baseMs = base.toMillis();
        int shift = Math.min(Math.max(failedAttempts, 0), 30);
        long exp = baseMs << shift;
        long capped = exp <= 0 || exp > max.toMillis() ? max.toMillis() : exp;
        long half = capped / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }
}
