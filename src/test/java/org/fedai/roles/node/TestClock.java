package org.fedai.roles.node;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** The node's clock, moved by hand so that deadlines pass without waiting; starts at the real time. */
final class TestClock implements InstantSource {

    private final AtomicLong offsetSeconds = new AtomicLong();

    void advance(long seconds) {
        offsetSeconds.addAndGet(seconds);
    }

    @Override
    public Instant instant() {
        return Instant.now().plusSeconds(offsetSeconds.get());
    }
}
