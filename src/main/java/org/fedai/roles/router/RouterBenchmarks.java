package org.fedai.roles.router;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.runner.profile.BenchClock;
import org.fedai.runner.profile.BenchmarkResults;
import org.fedai.runner.profile.Benchmarks;
import org.fedai.runner.profile.HardwareFacts;
import org.fedai.runner.profile.HardwareProbe;

/**
 * What a router measured about its machine at start: the profiler's figures (org.fedai.runner.profile) plus the
 * one that is a router's daily work, signature verification. Checked against {@link RouterMinimums}; the four
 * rates are announced in 31401 (rounded) and committed to exactly ({@link #commitment(byte[])}).
 */
public record RouterBenchmarks(double verifyPerSec, double sha256MBps, double memoryGBps, double matmulGflops,
        long cores, long memoryBytes, long freeDiskBytes) {

    /**
     * Runs the benchmarks, each for {@code budget} of the measuring thread's CPU time after a warm-up of half as much
     * (about 6 s at the profiler's default of 1 s on an idle machine), and probes the hardware where the ledger
     * lives. CPU time, not wall time ({@link BenchClock}): the minimums judge the machine, not how busy it is now.
     */
    public static RouterBenchmarks measure(Path ledgerDir, Duration budget) {
        HardwareFacts facts = new HardwareProbe(ledgerDir).probe();
        // no embedding model: a router runs none
        BenchmarkResults r = new Benchmarks(budget, BenchClock.THREAD_CPU).run(null, null);
        return new RouterBenchmarks(verifyPerSec(budget), r.sha256MBps(), r.memoryGBps(), r.matmulGflops(),
                facts.logicalCores(), facts.memoryBytes(), facts.freeDiskBytes());
    }

    /**
     * Measures up to {@code runs} times while some figure falls short of {@code minimums}, keeping each figure's best
     * run ({@link #best}). The first run of a fresh JVM may be taken before the JIT's optimising tier compiled a
     * kernel (SHA-256 measures about a fifteenth of its steady rate on the first tier alone), which a busy machine
     * delays; a later run in the same JVM measures the compiled code. Noise only ever lowers a CPU-time rate, so the
     * best run is the machine's capability, and a machine every run of which falls short still falls short.
     */
    public static RouterBenchmarks measureAgainst(RouterMinimums minimums, int runs,
            Supplier<RouterBenchmarks> measure, Consumer<String> progress) {
        RouterBenchmarks best = measure.get();
        for (int run = 2; run <= runs && !minimums.check(best).isEmpty(); run++) {
            progress.accept("router admission: short on " + minimums.check(best).stream()
                    .map(RouterMinimums.Shortfall::message).collect(Collectors.joining("; "))
                    + "; measuring again (run " + run + " of " + runs + ", the best of each figure counts)");
            best = best.best(measure.get());
        }
        return best;
    }

    /** Each rate at the better of the two runs; the hardware facts as {@code later} probed them. */
    public RouterBenchmarks best(RouterBenchmarks later) {
        return new RouterBenchmarks(better(verifyPerSec, later.verifyPerSec), better(sha256MBps, later.sha256MBps),
                better(memoryGBps, later.memoryGBps), better(matmulGflops, later.matmulGflops), later.cores,
                later.memoryBytes, later.freeDiskBytes);
    }

    private static double better(double a, double b) {
        // NaN (a run that failed) loses to any figure
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    /** Full verifications (event id recomputed, then BIP-340) of one signed event, on one thread, per CPU second. */
    static double verifyPerSec(Duration budget) {
        Event event = EventSigner.sign(UnsignedEvent.of(1, "router admission benchmark: verify me",
                List.of(List.of("t", "fedai"))), KeyPair.generate());
        // a verifier that fails a good event measures nothing
        return BenchClock.THREAD_CPU.opsPerSec(budget, () -> EventVerifier.check(event).valid());
    }

    /** Figure name to value; the names match {@link RouterMinimums#asMap()}. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new TreeMap<>();
        m.put("verify_per_s", verifyPerSec);
        m.put("sha256_mbps", sha256MBps);
        m.put("memory_gbps", memoryGBps);
        m.put("matmul_gflops", matmulGflops);
        m.put("cores", (double) cores);
        m.put("memory_bytes", (double) memoryBytes);
        m.put("free_disk_bytes", (double) freeDiskBytes);
        return m;
    }

    /**
     * The rates as announced: two significant figures, like the profiler's manifests, enough to compare machines
     * and too coarse to fingerprint one. Hardware sizes stay private; meeting the minimums is what the router
     * attests by announcing at all.
     */
    public Map<String, Double> announced() {
        Map<String, Double> m = new TreeMap<>();
        m.put("verify_per_s", round2(verifyPerSec));
        m.put("sha256_mbps", round2(sha256MBps));
        m.put("memory_gbps", round2(memoryGBps));
        m.put("matmul_gflops", round2(matmulGflops));
        m.values().removeIf(v -> Double.isNaN(v) || Double.isInfinite(v));
        return m;
    }

    /**
     * sha256("fedai:router-bench:" + hex(salt) + ":" + "name=value;" for each exact figure in name order): a
     * commitment to the unrounded figures that the router keeps with the salt and can reveal (to settle a
     * dispute) without publishing them up front. The salt stops anyone testing guesses against it.
     */
    public String commitment(byte[] salt) {
        StringBuilder text = new StringBuilder("fedai:router-bench:").append(Hex.encode(salt)).append(':');
        asMap().forEach((k, v) -> text.append(k).append('=').append(Double.toString(v)).append(';'));
        return Hex.encode(Sha256.hash(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static double round2(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(2)).doubleValue();
    }
}
