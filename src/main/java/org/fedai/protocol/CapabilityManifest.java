package org.fedai.protocol;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a node serves and on what terms (kind 31400, event-kinds/31400-capability-manifest.md). */
public record CapabilityManifest(String nodeId, String software, Set<Role> roles, List<ModelOffer> models,
        List<Price> prices, Limits limits, PaymentTerms payment, Map<String, String> bands,
        Map<String, Double> benchmarks, List<String> relays, long expiresAt) {

    public CapabilityManifest {
        roles = Set.copyOf(roles);
        models = List.copyOf(models);
        prices = List.copyOf(prices);
        bands = Map.copyOf(bands);
        benchmarks = Map.copyOf(benchmarks);
        relays = List.copyOf(relays);
    }

    public enum Role {
        INFERENCE, LIGHT, FULL, AGGREGATOR, VALIDATOR;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record ModelOffer(String id, String task, long maxInputBytes) {
    }

    public record Price(String model, String unit, long msatPerUnit, long minMsat) {

        /** The price of {@code units} of this unit: per unit, at least the minimum; ArithmeticException on overflow. */
        public long msatFor(long units) {
            return Math.max(minMsat, Math.multiplyExact(msatPerUnit, units));
        }
    }

    public record Limits(int maxConcurrentJobs, long maxInputBytes) {
    }

    public boolean offers(String modelId) {
        return models.stream().anyMatch(m -> m.id().equals(modelId));
    }
}
