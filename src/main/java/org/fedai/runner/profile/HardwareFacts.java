package org.fedai.runner.profile;

import java.util.Objects;

/**
 * Raw, non-identifying figures about this machine. They feed the bands and are shown only when
 * the operator asks for verbose output.
 */
public record HardwareFacts(int logicalCores, CpuInfo cpu, long memoryBytes, long freeDiskBytes,
                            String osName, String osArch, GpuInfo gpu) {

    public HardwareFacts {
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(osName, "osName");
        Objects.requireNonNull(osArch, "osArch");
        Objects.requireNonNull(gpu, "gpu");
    }

    /** "linux", "macos", "windows" or "other": the OS family, not its build. */
    public String osFamily() {
        String n = osName.toLowerCase(java.util.Locale.ROOT);
        if (n.startsWith("linux")) {
            return "linux";
        }
        if (n.startsWith("mac")) {
            return "macos";
        }
        return n.startsWith("windows") ? "windows" : "other";
    }

    /** JVM arch names folded into the usual ones (amd64 is x86_64). */
    public String arch() {
        return switch (osArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch.replaceAll("[^A-Za-z0-9_]", "");
        };
    }
}
