package org.fedai.runner.profile;

import java.util.Set;
import java.util.TreeSet;

/**
 * What the profiler keeps from /proc/cpuinfo: vendor, family and vector extensions. Everything
 * else there (model name strings, microcode, serials on some ARM boards) is dropped by design:
 * only names on the allow-list below can ever leave this class.
 *
 * @param vendor           "intel", "amd", "arm" or "other"
 * @param family           x86 family or ARM architecture number; -1 when unknown
 * @param vectorExtensions allow-listed SIMD flags present on every core listed
 */
public record CpuInfo(String vendor, int family, Set<String> vectorExtensions) {

    /** The SIMD features that matter for inference kernels; "neon" stands for ARM's asimd. */
    static final Set<String> ALLOWED = Set.of(
            "sse4_2", "avx", "avx2", "fma", "f16c", "avx_vnni",
            "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16",
            "amx_tile", "amx_bf16", "amx_int8",
            "neon", "asimddp", "i8mm", "bf16", "sve", "sve2");

    public static final CpuInfo UNKNOWN = new CpuInfo("other", -1, Set.of());

    public CpuInfo {
        vectorExtensions = Set.copyOf(new TreeSet<>(vectorExtensions));
    }

    /** Parses the text of /proc/cpuinfo (x86 "flags" or ARM "Features" lines). */
    public static CpuInfo parse(String cpuinfo) {
        String vendor = "other";
        int family = -1;
        Set<String> common = null;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "vendor_id" -> vendor = switch (value) {
                    case "GenuineIntel" -> "intel";
                    case "AuthenticAMD", "HygonGenuine" -> "amd";
                    default -> "other";
                };
                case "CPU implementer" -> vendor = "arm";
                case "cpu family", "CPU architecture" -> family = parseIntOr(value, family);
                case "flags", "Features" -> {
                    Set<String> flags = new TreeSet<>();
                    for (String f : value.split("\\s+")) {
                        String name = f.equals("asimd") ? "neon" : f;
                        if (ALLOWED.contains(name)) {
                            flags.add(name);
                        }
                    }
                    // Heterogeneous cores (big.LITTLE, P/E cores) can differ: keep what all of them have.
                    if (common == null) {
                        common = flags;
                    } else {
                        common.retainAll(flags);
                    }
                }
                default -> {
                }
            }
        }
        return new CpuInfo(vendor, family, common == null ? Set.of() : common);
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
