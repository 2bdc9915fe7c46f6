package org.fedai.runner.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedai.nostr.Json;

/**
 * The profile as JSON, in the shape the capability manifest's content will carry. Keys are
 * snake_case; raw figures appear under "raw" only when the profile holds them.
 */
public final class CapabilityProfileJson {

    private CapabilityProfileJson() {
    }

    public static ObjectNode toJson(CapabilityProfile p) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("software", p.softwareVersion());
        CapabilityBands b = p.bands();
        ObjectNode bands = root.putObject("bands");
        bands.put("platform", b.platform());
        bands.put("cpu", b.cpu().wireName());
        bands.put("memory", b.memory().wireName());
        bands.put("disk", b.disk().wireName());
        bands.put("gpu", b.gpu().wireName());
        bands.put("simd", b.simd().wireName());
        var roles = root.putArray("recommended_roles");
        p.recommended().forEach(r -> roles.addObject().put("role", r.role()).put("reason", r.reason()));
        p.benchmarks().ifPresent(r -> {
            ObjectNode bench = root.putObject("benchmarks");
            putFigure(bench, "matmul_gflops", r.matmulGflops());
            putFigure(bench, "memory_gbps", r.memoryGBps());
            putFigure(bench, "sha256_mbps", r.sha256MBps());
            putFigure(bench, "embedding_texts_per_s", r.embeddingTextsPerSec());
        });
        p.raw().ifPresent(f -> {
            ObjectNode raw = root.putObject("raw");
            raw.put("logical_cores", f.logicalCores());
            raw.put("cpu_vendor", f.cpu().vendor());
            raw.put("cpu_family", f.cpu().family());
            var ext = raw.putArray("vector_extensions");
            f.cpu().vectorExtensions().stream().sorted().forEach(ext::add);
            raw.put("memory_bytes", f.memoryBytes());
            raw.put("free_disk_bytes", f.freeDiskBytes());
            raw.put("os", f.osFamily());
            raw.put("arch", f.arch());
            raw.put("gpu_count", f.gpu().count());
            raw.put("gpu_memory_mib", f.gpu().memoryMiB());
            raw.put("gpu_detected_by", f.gpu().source());
        });
        return root;
    }

    /** JSON has no NaN: a benchmark that could not run is null. */
    private static void putFigure(ObjectNode node, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            node.putNull(key);
        } else {
            node.put(key, v);
        }
    }
}
