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
 * Micro-benchmarks for the capability manifest, each bounded by a time budget. They measure
 * what a router cares about (compute, memory, hashing, embeddings) and nothing that identifies.
 */
public final class Benchmarks {

    private static final int MATRIX = 192;
    private static final int COPY_LONGS = 4 << 20; // 32 MiB per buffer: well past any cache
    private static final int EMBED_BATCH = 32;

    private final Duration budget;

    public Benchmarks(Duration budgetEach) {
        this.budget = budgetEach;
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
        long deadline = System.nanoTime() + budget.toNanos();
        long start = System.nanoTime();
        long rounds = 0;
        do {
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
            rounds++;
        } while (System.nanoTime() < deadline);
        blackhole(c[ThreadLocalRandom.current().nextInt(c.length)]);
        return 2.0 * n * n * n * rounds / (System.nanoTime() - start);
    }

    double memoryGBps() {
        long[] src = new long[COPY_LONGS];
        long[] dst = new long[COPY_LONGS];
        java.util.Arrays.fill(src, 7L);
        long deadline = System.nanoTime() + budget.toNanos();
        long start = System.nanoTime();
        long copies = 0;
        do {
            System.arraycopy(src, 0, dst, 0, COPY_LONGS);
            copies++;
        } while (System.nanoTime() < deadline);
        blackhole(dst[ThreadLocalRandom.current().nextInt(COPY_LONGS)]);
        return 2.0 * 8 * COPY_LONGS * copies / (System.nanoTime() - start);
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
        long deadline = System.nanoTime() + budget.toNanos();
        long start = System.nanoTime();
        long blocks = 0;
        do {
            digest.update(block);
            blocks++;
        } while (System.nanoTime() < deadline);
        blackhole(digest.digest()[0]);
        return blocks * (double) (1 << 20) / 1e6 / ((System.nanoTime() - start) / 1e9);
    }

    double embeddingTextsPerSec(Runner runner, String model) {
        // Warm-up loads the model and JIT-compiles the path; it is not timed.
        if (!(runner.run(RunRequest.embed(model, batch(-1))) instanceof RunResult.Success)) {
            return Double.NaN;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        long start = System.nanoTime();
        long texts = 0;
        int round = 0;
        do {
            // Fresh texts every round so a result cache cannot flatter the figure.
            if (!(runner.run(RunRequest.embed(model, batch(round++))) instanceof RunResult.Success)) {
                return Double.NaN;
            }
            texts += EMBED_BATCH;
        } while (System.nanoTime() < deadline);
        return texts / ((System.nanoTime() - start) / 1e9);
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
