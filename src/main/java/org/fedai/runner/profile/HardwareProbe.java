package org.fedai.runner.profile;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Reads {@link HardwareFacts} from the running system. Every probe degrades to "unknown", never fails. */
public final class HardwareProbe {

    private static final Pattern NVIDIA_DEVICE = Pattern.compile("nvidia\\d+");

    private final Path workDir;

    public HardwareProbe(Path workDir) {
        this.workDir = workDir;
    }

    public HardwareFacts probe() {
        return new HardwareFacts(
                // Honours container CPU limits, which is what a node can actually use.
                Runtime.getRuntime().availableProcessors(),
                cpuInfo(),
                memoryBytes(),
                freeDiskBytes(),
                System.getProperty("os.name", "other"),
                System.getProperty("os.arch", "other"),
                gpu());
    }

    private static CpuInfo cpuInfo() {
        Path path = Path.of("/proc/cpuinfo");
        try {
            return Files.isReadable(path) ? CpuInfo.parse(Files.readString(path)) : CpuInfo.UNKNOWN;
        } catch (IOException | RuntimeException e) {
            return CpuInfo.UNKNOWN;
        }
    }

    private static long memoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    private long freeDiskBytes() {
        try {
            return Files.getFileStore(workDir.toAbsolutePath()).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    static GpuInfo gpu() {
        GpuInfo fromSmi = nvidiaSmi();
        if (fromSmi.present()) {
            return fromSmi;
        }
        int procGpus = countEntries(Path.of("/proc/driver/nvidia/gpus"), null);
        if (procGpus > 0) {
            return new GpuInfo(procGpus, 0, "/proc/driver/nvidia");
        }
        int devices = countEntries(Path.of("/dev"), NVIDIA_DEVICE);
        return devices > 0 ? new GpuInfo(devices, 0, "/dev/nvidia") : GpuInfo.NONE;
    }

    private static GpuInfo nvidiaSmi() {
        if (!onPath("nvidia-smi")) {
            return GpuInfo.NONE;
        }
        try {
            // Only the memory column: names, UUIDs and serials are never asked for.
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return GpuInfo.NONE;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.exitValue() == 0 ? GpuInfo.parseNvidiaSmi(out) : GpuInfo.NONE;
        } catch (IOException e) {
            return GpuInfo.NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GpuInfo.NONE;
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static int countEntries(Path dir, Pattern name) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                if (name == null || name.matcher(e.getFileName().toString()).matches()) {
                    n++;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return n;
    }
}
