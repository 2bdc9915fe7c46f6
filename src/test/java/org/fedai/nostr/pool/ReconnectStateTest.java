package org.fedai.nostr.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The reconnect delays of one relay across outages, with time and randomness passed in. */
class ReconnectStateTest {

    private static final Duration BASE = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(30);
    private static final long SECOND = 1_000_000_000L;
    private final RandomGenerator random = new SplittableRandom(7);

    private ReconnectState state() {
        return new ReconnectState(new Backoff(BASE, MAX), Duration.ofSeconds(10));
    }

    /** A long outage: attempts that fail until the delay reaches its cap. */
    private static void outage(ReconnectState s, RandomGenerator random) {
        for (int i = 0; i < 10; i++) {
            s.closed(false, 0, random);
        }
    }

    @Test
    void failedAttemptsBackOffUpToTheCap() {
        ReconnectState s = state();
        assertThat(s.closed(false, 0, random)).isBetween(BASE.dividedBy(2), BASE);
        outage(s, random);
        assertThat(s.closed(false, 0, random)).isBetween(MAX.dividedBy(2), MAX);
    }

    @Test
    void aRelayThatCameBackAndAnsweredIsMetAtTheBaseDelayWhenItDropsAgain() {
        // the back-to-back outages: the second must not start where the first left off
        ReconnectState s = state();
        outage(s, random);
        s.opened(100 * SECOND);
        s.served();
        assertThat(s.closed(true, 101 * SECOND, random)).isBetween(BASE.dividedBy(2), BASE);
    }

    @Test
    void aRelayThatAcceptsAndHangsUpAtOnceKeepsBackingOff() {
        ReconnectState s = state();
        outage(s, random);
        s.opened(100 * SECOND);
        assertThat(s.closed(true, 101 * SECOND, random)).isBetween(MAX.dividedBy(2), MAX);
    }

    @Test
    void aConnectionThatStayedUpLongEnoughCountsAsHealthyEvenIfSilent() {
        ReconnectState s = state();
        outage(s, random);
        s.opened(100 * SECOND);
        assertThat(s.closed(true, 110 * SECOND, random)).isBetween(BASE.dividedBy(2), BASE);
    }
}
