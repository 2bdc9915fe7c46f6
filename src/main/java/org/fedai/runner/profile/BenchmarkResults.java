package org.fedai.runner.profile;

/**
 * Short, bounded measurements. A figure is NaN when its benchmark could not run.
 *
 * @param matmulGflops          single-threaded float matrix multiply
 * @param memoryGBps            single-threaded bulk copy, bytes read plus written
 * @param sha256MBps            single-threaded SHA-256 over 1 MiB blocks
 * @param embeddingTextsPerSec  embedded runner, batches of 32 uncached short texts, all threads
 */
public record BenchmarkResults(double matmulGflops, double memoryGBps, double sha256MBps, double embeddingTextsPerSec) {

    /** Two significant figures: enough to compare machines, too coarse to tell two alike apart. */
    public BenchmarkResults rounded() {
        return new BenchmarkResults(round2(matmulGflops), round2(memoryGBps), round2(sha256MBps), round2(embeddingTextsPerSec));
    }

    static double round2(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(2)).doubleValue();
    }
}
