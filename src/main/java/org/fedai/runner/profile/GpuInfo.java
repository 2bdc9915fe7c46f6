package org.fedai.runner.profile;

/**
 * GPU presence without identity: how many, how much memory in total, how we know. Names, UUIDs,
 * serials and bus ids are never queried.
 *
 * @param count     devices found; 0 for none
 * @param memoryMiB total memory over all devices, 0 when unknown
 * @param source    "nvidia-smi", "/proc/driver/nvidia", "/dev/nvidia" or "none"
 */
public record GpuInfo(int count, long memoryMiB, String source) {

    public static final GpuInfo NONE = new GpuInfo(0, 0, "none");

    public boolean present() {
        return count > 0;
    }

    /** Parses {@code nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits}: one MiB figure per line. */
    public static GpuInfo parseNvidiaSmi(String output) {
        int count = 0;
        long memory = 0;
        for (String line : output.split("\n")) {
            String s = line.strip();
            if (s.isEmpty()) {
                continue;
            }
            count++;
            try {
                memory += Long.parseLong(s);
            } catch (NumberFormatException e) {
                // "[N/A]" on some boards: the device is there, its memory unknown
            }
        }
        return count == 0 ? NONE : new GpuInfo(count, memory, "nvidia-smi");
    }
}
