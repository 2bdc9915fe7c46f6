package org.fedai.runner.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class BenchClockTest {

    private static final Duration BUDGET = Duration.ofMillis(20);

    @Test
    void aFailingStepMeasuresNothingOnEitherClock() {
        for (BenchClock clock : BenchClock.values()) {
            assertThat(clock.opsPerSec(BUDGET, () -> false)).as(clock.name()).isNaN();
        }
    }

    @Test
    void cpuBoundWorkIsMeasuredOnBothClocks() {
        for (BenchClock clock : BenchClock.values()) {
            double rate = clock.rate(BUDGET, BenchClockTest::spin);
            assertThat(rate).as(clock.name()).isPositive().isFinite();
        }
    }

    @Test
    void aStepThatWaitsInsteadOfComputingEndsWithinTheWallBoundOnTheCpuClock() {
        // parked, the thread uses almost no CPU time: the CPU clock alone would take minutes to reach its budget
        long start = System.nanoTime();
        double rate = BenchClock.THREAD_CPU.rate(BUDGET, () -> {
            LockSupport.parkNanos(1_000_000);
            return 1;
        });
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).isLessThan(BUDGET.toMillis() * 12 + 2_000);
        // each round parks 1 ms, so per wall second it could do at most 1000: more means CPU seconds were counted
        assertThat(rate).isGreaterThan(1_000.0);
    }

    private static long spin() {
        long x = 0;
        for (int i = 0; i < 10_000; i++) {
            x += Long.rotateLeft(x ^ i, 7);
        }
        return x == 42 ? 2 : 1;
    }
}
