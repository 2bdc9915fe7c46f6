package org.fedai.roles.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a machine must measure before it may route (docs/operator-guide.md, "Router"). {@link #FLOOR} is the
 * documented minimum; an operator may raise any figure, never lower one below it: a router that routes must be
 * able to verify signatures and payment proofs at market rates, hash inputs and keep its ledger, whatever its
 * operator says.
 *
 * @param minVerifyPerSec   BIP-340 event verifications per second (id hash + Schnorr), one thread
 * @param minSha256MBps     SHA-256 throughput, one thread
 * @param minMemoryGBps     bulk copy bandwidth, read plus write, one thread
 * @param minMatmulGflops   float matrix multiply, one thread
 * @param minCores          logical cores the JVM may use
 * @param minMemoryBytes    physical memory
 * @param minFreeDiskBytes  usable space where the ledger lives
 */
public record RouterMinimums(double minVerifyPerSec, double minSha256MBps, double minMemoryGBps,
        double minMatmulGflops, long minCores, long minMemoryBytes, long minFreeDiskBytes) {

    private static final long GIB = 1L << 30;

    /**
     * The documented floor. About a tenth of what a 2020 laptop core measures, so a loaded but sound machine passes
     * and a starved one (a throttled container, an emulated CPU) does not: at 2 000 verifications/s a router checks
     * the spec, proof and metering record of some 600 jobs per second.
     */
    public static final RouterMinimums FLOOR = new RouterMinimums(2_000, 100, 1.0, 0.25, 2, GIB, GIB);

    /** One figure below its minimum. */
    public record Shortfall(String figure, double measured, double minimum) {
        public String message() {
            return figure + " measured " + fmt(measured) + ", minimum " + fmt(minimum);
        }

        private static String fmt(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format("%.3g", v);
        }
    }

    /**
     * These minimums with {@code raised} figures applied (keys as in {@link #asMap()}); each must be at least
     * its floor.
     *
     * @throws IllegalArgumentException naming the figure when a value would lower a minimum, or is unknown
     */
    public RouterMinimums raise(Map<String, Double> raised) {
        Map<String, Double> now = new TreeMap<>(asMap());
        Map<String, Double> floor = FLOOR.asMap();
        raised.forEach((figure, value) -> {
            if (!now.containsKey(figure)) {
                throw new IllegalArgumentException("unknown router minimum " + figure + "; known: " + now.keySet());
            }
            if (!(value >= floor.get(figure)) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("the minimum " + figure + " may only be raised: " + value
                        + " is below its documented floor " + Shortfall.fmt(floor.get(figure)));
            }
            now.put(figure, value);
        });
        return new RouterMinimums(now.get("verify_per_s"), now.get("sha256_mbps"), now.get("memory_gbps"),
                now.get("matmul_gflops"), now.get("cores").longValue(), now.get("memory_bytes").longValue(),
                now.get("free_disk_bytes").longValue());
    }

    /** The figures that fall short (NaN, a benchmark that could not run, always does); empty when all pass. */
    public List<Shortfall> check(RouterBenchmarks measured) {
        Map<String, Double> got = measured.asMap();
        List<Shortfall> out = new ArrayList<>();
        asMap().forEach((figure, minimum) -> {
            double value = got.getOrDefault(figure, Double.NaN);
            if (!(value >= minimum)) {
                out.add(new Shortfall(figure, value, minimum));
            }
        });
        return out;
    }

    /** Figure name to minimum, in a stable order; the names match {@link RouterBenchmarks#asMap()}. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new TreeMap<>();
        m.put("verify_per_s", minVerifyPerSec);
        m.put("sha256_mbps", minSha256MBps);
        m.put("memory_gbps", minMemoryGBps);
        m.put("matmul_gflops", minMatmulGflops);
        m.put("cores", (double) minCores);
        m.put("memory_bytes", (double) minMemoryBytes);
        m.put("free_disk_bytes", (double) minFreeDiskBytes);
        return m;
    }
}
