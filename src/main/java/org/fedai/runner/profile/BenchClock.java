package org.fedai.runner.profile;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What a benchmark's rate is per: a second of wall time (what the machine delivers now, load included), or a second
 * of the measuring thread's CPU time (what a core of it can do, however busy it is at the moment). A router's
 * admission asks the second: its minimums are about the machine, and a figure that halves whenever something else
 * runs would refuse a capable router on a busy moment, and pass nothing it should not.
 */
public enum BenchClock {
    WALL, THREAD_CPU;

    /** On a machine this loaded the CPU clock advances this much slower: the wall-time bound of a measurement. */
    private static final int MAX_SLOWDOWN = 8;

    private long now(ThreadMXBean threads) {
        return this == WALL ? System.nanoTime() : threads.getCurrentThreadCpuTime();
    }

    /**
     * Work per second of {@code step}, which does one round and returns its work (or -1 if it failed). A warm-up of
     * half the budget first lets the JIT compile the kernel (and the embedding model load), so the figure is the
     * steady state, not the interpreter. Bounded in wall time by {@link #MAX_SLOWDOWN} times the budget.
     */
    public double rate(Duration budget, LongSupplier step) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        BenchClock clock = this == THREAD_CPU && !threads.isCurrentThreadCpuTimeSupported() ? WALL : this;
        long wallLimit = System.nanoTime() + (long) (budget.toNanos() * 1.5 * MAX_SLOWDOWN);
        long warmUntil = clock.now(threads) + budget.toNanos() / 2;
        do {
            if (step.getAsLong() < 0) {
                return Double.NaN;
            }
        } while (clock.now(threads) < warmUntil && System.nanoTime() < wallLimit);
        long start = clock.now(threads);
        long deadline = start + budget.toNanos();
        long work = 0;
        do {
            long w = step.getAsLong();
            if (w < 0) {
                return Double.NaN;
            }
            work += w;
        } while (clock.now(threads) < deadline && System.nanoTime() < wallLimit);
        long elapsed = clock.now(threads) - start;
        return elapsed <= 0 ? Double.NaN : work / (elapsed / 1e9);
    }

    /** The rate of {@code step} returning 1 per round: operations per second. */
    public double opsPerSec(Duration budget, java.util.function.BooleanSupplier step) {
        return rate(budget, () -> step.getAsBoolean() ? 1 : -1);
    }
}
