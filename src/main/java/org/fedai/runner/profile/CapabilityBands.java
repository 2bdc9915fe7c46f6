package org.fedai.runner.profile;

import java.util.Locale;
import java.util.Objects;

/**
 * Coarse classes a router can compare across nodes without learning which machine is which.
 *
 * @param platform os family and architecture, e.g. "linux-x86_64"
 */
public record CapabilityBands(String platform, Size cpu, Size memory, Size disk, Gpu gpu, Simd simd) {

    public enum Size {
        SMALL, MEDIUM, LARGE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Gpu {
        NONE, PRESENT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The widest vector unit: what decides which inference kernels run fast. */
    public enum Simd {
        BASELINE, SSE4, AVX2, AVX512, NEON, SVE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CapabilityBands {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(gpu, "gpu");
        Objects.requireNonNull(simd, "simd");
    }
}
