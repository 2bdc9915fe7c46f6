package org.fedai.roles.router;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** System time plus an offset the test moves by hand: the router sees time pass, the relay does not. */
final class OffsetClock implements InstantSource {

    private final AtomicLong offsetMillis = new AtomicLong();

    void advanceSeconds(long seconds) {
        offsetMillis.addAndGet(seconds * 1000);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMillis.get());
    }
}
