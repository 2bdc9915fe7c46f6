package org.fedai.protocol;

import java.util.Map;

/**
 * A router's public account of how a node performed for it (kind 31403,
 * event-kinds/31403-node-attestation.md): its own observations, signed, so that others can weigh them.
 */
public record NodeAttestation(String node, double ewmaLatencyMs, double successRate, long timeouts,
        long jobsObserved, double routingWeight, Map<String, Double> benchmarks, long expiresAt) {

    public NodeAttestation {
        benchmarks = Map.copyOf(benchmarks);
    }
}
