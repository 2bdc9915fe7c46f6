package org.fedai.runner.profile;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CpuInfoTest {

    // Shaped like a real x86 /proc/cpuinfo; the serial-looking values are invented.
    private static final String X86 = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            cpu family\t: 6
            model\t\t: 106
            model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz
            microcode\t: 0xd0003a5
            flags\t\t: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512bw avx512vl avx512_vnni sha_ni
            
            processor\t: 1
            vendor_id\t: GenuineIntel
            cpu family\t: 6
            flags\t\t: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512bw avx512vl sha_ni
            """;

    // Shaped like a Raspberry Pi 4, whose cpuinfo carries a board serial and model string.
    private static final String ARM = """
            processor\t: 0
            BogoMIPS\t: 108.00
            Features\t: fp asimd evtstrm crc32 cpuid
            CPU implementer\t: 0x41
            CPU architecture: 8
            CPU part\t: 0xd08
            
            Hardware\t: BCM2835
            Revision\t: c03111
            Serial\t\t: 10000000a1b2c3d4
            Model\t\t: Raspberry Pi 4 Model B Rev 1.1
            """;

    @Test
    void emptyInputIsUnknown() {
        assertThat(CpuInfo.parse("")).isEqualTo(CpuInfo.UNKNOWN);
    }

    @Test
    void x86KeepsVendorFamilyAndOnlyAllowListedFlagsCommonToAllCores() {
        CpuInfo info = CpuInfo.parse(X86);
        assertThat(info.vendor()).isEqualTo("intel");
        assertThat(info.family()).isEqualTo(6);
        assertThat(info.vectorExtensions())
                .isEqualTo(Set.of("fma", "sse4_2", "avx", "f16c", "avx2", "avx512f", "avx512bw", "avx512vl"));
    }

    @Test
    void armMapsAsimdToNeonAndDropsSerialAndModel() {
        CpuInfo info = CpuInfo.parse(ARM);
        assertThat(info).isEqualTo(new CpuInfo("arm", 8, Set.of("neon")));
        assertThat(info.toString()).doesNotContain("10000000a1b2c3d4", "Raspberry", "BCM2835", "c03111");
    }

    @Test
    void gpuCountAndMemoryFromNvidiaSmi() {
        assertThat(GpuInfo.parseNvidiaSmi("24576\n24576\n")).isEqualTo(new GpuInfo(2, 49152, "nvidia-smi"));
        assertThat(GpuInfo.parseNvidiaSmi("[N/A]\n")).isEqualTo(new GpuInfo(1, 0, "nvidia-smi"));
        assertThat(GpuInfo.parseNvidiaSmi("")).isEqualTo(GpuInfo.NONE);
    }
}
