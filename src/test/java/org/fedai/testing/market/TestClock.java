package org.fedai.testing.market;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * System time plus an offset the test moves by hand: the role under this clock sees its deadlines pass without the
 * test waiting, while the relay and the other roles keep real time.
 */
public final class TestClock implements InstantSource {

    private final AtomicLong offsetMillis = new AtomicLong();

    public void advanceSeconds(long seconds) {
        offsetMillis.addAndGet(seconds * 1000);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMillis.get());
    }
}
