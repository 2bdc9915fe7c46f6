package org.fedai.runner.profile;

import org.fedai.runner.RunRequest;
import org.fedai.runner.RunResult;
import org.fedai.runner.Runner;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Micro-benchmarks for the capability manifest, each bounded by 1.5 times its budget (warm-up included). They measure
 * what a router cares about (compute, memory, hashing, embeddings) and nothing that identifies.
 */
public final class Benchmarks {

    private static final int MATRIX = 192;
    private static final int COPY_LONGS = 4 << 20; // 32 MiB per buffer: well past any cache
    private static final int EMBED_BATCH = 32;

    private final Duration budget;
    private final BenchClock clock;

    /** Wall-clock rates: what a node delivers now, which is what its manifest must not overstate. */
    public Benchmarks(Duration budgetEach) {
        this(budgetEach, BenchClock.WALL);
    }

    public Benchmarks(Duration budgetEach, BenchClock clock) {
        this.budget = budgetEach;
        this.clock = clock;
    }

    /** @param embedding runner serving {@code model}, or null to skip that benchmark */
    public BenchmarkResults run(Runner embedding, String model) {
        return new BenchmarkResults(matmulGflops(), memoryGBps(), sha256MBps(),
                embedding == null ? Double.NaN : embeddingTextsPerSec(embedding, model));
    }

    double matmulGflops() {
        int n = MATRIX;
        float[] a = randomFloats(n * n);
        float[] b = randomFloats(n * n);
        float[] c = new float[n * n];
        double flopsPerSec = rate(() -> {
            java.util.Arrays.fill(c, 0f);
            // i-k-j order keeps the inner loop streaming through rows, which the JIT vectorises.
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    float aik = a[i * n + k];
                    int bRow = k * n;
                    int cRow = i * n;
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += aik * b[bRow + j];
                    }
                }
            }
            return 2L * n * n * n;
        });
        blackhole(c[ThreadLocalRandom.current().nextInt(c.length)]);
        return flopsPerSec / 1e9;
    }

    double memoryGBps() {
        long[] src = new long[COPY_LONGS];
        long[] dst = new long[COPY_LONGS];
        java.util.Arrays.fill(src, 7L);
        double bytesPerSec = rate(() -> {
            System.arraycopy(src, 0, dst, 0, COPY_LONGS);
            return 2L * Long.BYTES * COPY_LONGS; // read plus write
        });
        blackhole(dst[ThreadLocalRandom.current().nextInt(COPY_LONGS)]);
        return bytesPerSec / 1e9;
    }

    double sha256MBps() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            return Double.NaN;
        }
        byte[] block = new byte[1 << 20];
        ThreadLocalRandom.current().nextBytes(block);
        double bytesPerSec = rate(() -> {
            digest.update(block);
            return block.length;
        });
        blackhole(digest.digest()[0]);
        return bytesPerSec / 1e6;
    }

    double embeddingTextsPerSec(Runner runner, String model) {
        int[] round = {0};
        // Fresh texts every round so a result cache cannot flatter the figure; -1 marks a failed run.
        return rate(() -> runner.run(RunRequest.embed(model, batch(round[0]++))) instanceof RunResult.Success
                ? EMBED_BATCH : -1);
    }

    /**
     * Work per second of {@code step}, which does one round and returns its work (or -1 if it
     * failed). A warm-up of half the budget first lets the JIT compile the kernel (and the
     * embedding model load), so the figure is the steady state, not the interpreter.
     */
    private double rate(java.util.function.LongSupplier step) {
        return clock.rate(budget, step);
    }

    private static List<String> batch(int round) {
        List<String> texts = new ArrayList<>(EMBED_BATCH);
        for (int i = 0; i < EMBED_BATCH; i++) {
            texts.add("Benchmark sentence " + round + "-" + i
                    + ": nodes on relays embed short passages of text for search and retrieval.");
        }
        return texts;
    }

    private static float[] randomFloats(int n) {
        float[] f = new float[n];
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            f[i] = r.nextFloat();
        }
        return f;
    }

    private static volatile double sink;

    /** Keeps results observable so the JIT cannot drop the measured work. */
    private static void blackhole(double v) {
        sink = v;
    }
}
