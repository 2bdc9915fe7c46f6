package org.fedai.nostr.relay;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test moves by hand, so expiry is tested without waiting. */
final class MutableClock implements InstantSource {

    private final AtomicLong seconds;

    MutableClock(long epochSeconds) {
        this.seconds = new AtomicLong(epochSeconds);
    }

    long now() {
        return seconds.get();
    }

    void advance(long by) {
        seconds.addAndGet(by);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochSecond(seconds.get());
    }
}
