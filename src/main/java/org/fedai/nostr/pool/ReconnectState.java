package org.fedai.nostr.pool;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to reconnect to one relay: the delay grows ({@link Backoff}) while connections fail, and starts over once a
 * connection came back for real, that is, it answered a REQ or an EVENT, or stayed up {@code stable}. A relay that
 * accepts and at once hangs up is not hammered at the base delay; a relay that returns after an outage is met at
 * the base delay when it drops again, not at the cap the last outage reached. Pure: time comes in as arguments.
 */
final class ReconnectState {

    private final Backoff backoff;
    private final long stableNanos;
    private int failedAttempts;
    private long openedAtNanos;
    private boolean served;

    ReconnectState(Backoff backoff, Duration stable) {
        this.backoff = backoff;
        this.stableNanos = stable.toNanos();
    }

    void opened(long nowNanos) {
        openedAtNanos = nowNanos;
        served = false;
    }

    /** The relay answered on this connection (EOSE or OK). */
    void served() {
        served = true;
    }

    /** A connection dropped ({@code wasConnected}) or an attempt failed: how long to wait before the next one. */
    Duration closed(boolean wasConnected, long nowNanos, RandomGenerator random) {
        if (wasConnected && (served || nowNanos - openedAtNanos >= stableNanos)) {
            failedAttempts = 0;
        }
        return backoff.delay(failedAttempts++, random);
    }
}
