package org.fedai.cli.bench;

import java.util.Collection;

/** Percentiles of per-job latencies (nearest rank), in milliseconds with a tenth. */
record LatencySummary(int count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

    static LatencySummary ofNanos(Collection<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return new LatencySummary(sorted.length, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.90)),
                ms(rank(sorted, 0.99)), ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
    }

    private static long rank(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    String format() {
        return String.format(java.util.Locale.ROOT, "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", p50Ms, p90Ms,
                p99Ms, maxMs);
    }
}
