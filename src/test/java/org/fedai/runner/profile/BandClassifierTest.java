package org.fedai.runner.profile;

import org.fedai.runner.profile.CapabilityBands.Gpu;
import org.fedai.runner.profile.CapabilityBands.Simd;
import org.fedai.runner.profile.CapabilityBands.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class BandClassifierTest {

    private static final long GIB = 1L << 30;

    @ParameterizedTest(name = "{0} cores -> {1}")
    @CsvSource({"1, SMALL", "2, SMALL", "4, SMALL", "5, MEDIUM", "8, MEDIUM", "16, MEDIUM", "17, LARGE", "128, LARGE"})
    void cpuBands(int cores, Size expected) {
        assertThat(BandClassifier.cpu(cores)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} GiB memory -> {1}")
    @CsvSource({"0, SMALL", "4, SMALL", "7, SMALL", "8, MEDIUM", "31, MEDIUM", "32, LARGE", "512, LARGE"})
    void memoryBands(long gib, Size expected) {
        assertThat(BandClassifier.size(gib * GIB, BandClassifier.MEMORY_MEDIUM_FROM, BandClassifier.MEMORY_LARGE_FROM))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} GiB free disk -> {1}")
    @CsvSource({"0, SMALL", "19, SMALL", "20, MEDIUM", "199, MEDIUM", "200, LARGE"})
    void diskBands(long gib, Size expected) {
        assertThat(BandClassifier.size(gib * GIB, BandClassifier.DISK_MEDIUM_FROM, BandClassifier.DISK_LARGE_FROM))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource({
            "'', BASELINE",
            "sse4_2, SSE4",
            "sse4_2 avx avx2 fma, AVX2",
            "sse4_2 avx2 avx512f avx512bw, AVX512",
            "neon, NEON",
            "neon asimddp sve, SVE"})
    void simdBands(String flags, Simd expected) {
        Set<String> ext = Arrays.stream(flags.split(" ")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        assertThat(BandClassifier.simd(ext)).isEqualTo(expected);
    }

    @Test
    void wholeMachine() {
        HardwareFacts laptop = new HardwareFacts(8, new CpuInfo("intel", 6, Set.of("sse4_2", "avx2")), 16 * GIB, 300 * GIB,
                "Linux", "amd64", GpuInfo.NONE);
        assertThat(BandClassifier.classify(laptop))
                .isEqualTo(new CapabilityBands("linux-x86_64", Size.MEDIUM, Size.MEDIUM, Size.LARGE, Gpu.NONE, Simd.AVX2));

        HardwareFacts pi = new HardwareFacts(4, new CpuInfo("arm", 8, Set.of("neon")), 4 * GIB, 10 * GIB,
                "Linux", "aarch64", GpuInfo.NONE);
        assertThat(BandClassifier.classify(pi))
                .isEqualTo(new CapabilityBands("linux-aarch64", Size.SMALL, Size.SMALL, Size.SMALL, Gpu.NONE, Simd.NEON));

        HardwareFacts gpuBox = new HardwareFacts(32, CpuInfo.UNKNOWN, 128 * GIB, 2000 * GIB, "Windows 11", "amd64",
                new GpuInfo(2, 48_000, "nvidia-smi"));
        assertThat(BandClassifier.classify(gpuBox))
                .isEqualTo(new CapabilityBands("windows-x86_64", Size.LARGE, Size.LARGE, Size.LARGE, Gpu.PRESENT, Simd.BASELINE));
    }
}
