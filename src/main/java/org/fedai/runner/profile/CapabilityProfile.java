package org.fedai.runner.profile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node may say about its hardware: the input to the signed capability manifest (kind 31400).
 *
 * @param softwareVersion e.g. "fedai 0.1.0"
 * @param bands           coarse classes, always present
 * @param recommended     roles that would fit; advice, never enabled by the profiler
 * @param benchmarks      measured figures, if the operator ran them
 * @param raw             exact figures, only when the operator opted in to verbose output
 */
public record CapabilityProfile(String softwareVersion, CapabilityBands bands,
                                List<RoleRecommender.Recommendation> recommended,
                                Optional<BenchmarkResults> benchmarks, Optional<HardwareFacts> raw) {

    public CapabilityProfile {
        Objects.requireNonNull(softwareVersion, "softwareVersion");
        Objects.requireNonNull(bands, "bands");
        recommended = List.copyOf(recommended);
        Objects.requireNonNull(benchmarks, "benchmarks");
        Objects.requireNonNull(raw, "raw");
    }
}
