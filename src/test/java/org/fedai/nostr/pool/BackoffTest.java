package org.fedai.nostr.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    void delayDoublesWithJitterInTheUpperHalf() {
        RandomGenerator random = new SplittableRandom(7);
        for (int attempt = 0; attempt < 6; attempt++) {
            long cap = Math.min(5000, 100L << attempt);
            for (int i = 0; i < 50; i++) {
                long ms = backoff.delay(attempt, random).toMillis();
                assertThat(ms).isBetween(cap / 2, cap);
            }
        }
    }

    @Test
    void delayIsCappedEvenAfterManyFailures() {
        RandomGenerator random = new SplittableRandom(1);
        assertThat(backoff.delay(64, random).toMillis()).isBetween(2500L, 5000L);
        assertThat(backoff.delay(Integer.MAX_VALUE, random).toMillis()).isBetween(2500L, 5000L);
    }

    @Test
    void jitterSpreadsClientsApart() {
        RandomGenerator random = new SplittableRandom(3);
        long distinct = java.util.stream.IntStream.range(0, 100)
                .mapToLong(i -> backoff.delay(4, random).toMillis()).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }
}
