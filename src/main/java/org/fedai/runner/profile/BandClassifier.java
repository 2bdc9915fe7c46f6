package org.fedai.runner.profile;

import org.fedai.runner.profile.CapabilityBands.Gpu;
import org.fedai.runner.profile.CapabilityBands.Simd;
import org.fedai.runner.profile.CapabilityBands.Size;

import java.util.Set;

/**
 * Raw figures to bands: a pure function with its thresholds in one place, so every node of
 * the same release classifies the same hardware the same way.
 */
public final class BandClassifier {

    static final long GIB = 1L << 30;

    /** Up to 4 logical cores is small, up to 16 medium, more is large. */
    static final int CPU_MEDIUM_FROM = 5;
    static final int CPU_LARGE_FROM = 17;
    /** Under 8 GiB small, under 32 GiB medium. A 7B int4 model wants ~6 GiB with its context. */
    static final long MEMORY_MEDIUM_FROM = 8 * GIB;
    static final long MEMORY_LARGE_FROM = 32 * GIB;
    /** Under 20 GiB free small (embeddings only), under 200 GiB medium (a few models). */
    static final long DISK_MEDIUM_FROM = 20 * GIB;
    static final long DISK_LARGE_FROM = 200 * GIB;

    private BandClassifier() {
    }

    public static CapabilityBands classify(HardwareFacts f) {
        return new CapabilityBands(
                f.osFamily() + "-" + f.arch(),
                cpu(f.logicalCores()),
                size(f.memoryBytes(), MEMORY_MEDIUM_FROM, MEMORY_LARGE_FROM),
                size(f.freeDiskBytes(), DISK_MEDIUM_FROM, DISK_LARGE_FROM),
                f.gpu().present() ? Gpu.PRESENT : Gpu.NONE,
                simd(f.cpu().vectorExtensions()));
    }

    static Size cpu(int logicalCores) {
        return size(logicalCores, CPU_MEDIUM_FROM, CPU_LARGE_FROM);
    }

    static Size size(long value, long mediumFrom, long largeFrom) {
        return value >= largeFrom ? Size.LARGE : value >= mediumFrom ? Size.MEDIUM : Size.SMALL;
    }

    static Simd simd(Set<String> ext) {
        if (ext.contains("sve") || ext.contains("sve2")) {
            return Simd.SVE;
        }
        if (ext.contains("neon")) {
            return Simd.NEON;
        }
        if (ext.contains("avx512f")) {
            return Simd.AVX512;
        }
        if (ext.contains("avx2")) {
            return Simd.AVX2;
        }
        return ext.contains("sse4_2") ? Simd.SSE4 : Simd.BASELINE;
    }
}
