package org.fedai.fl.round;

import java.util.List;
import java.util.Map;

/**
 * What a strategy made of one round's inputs: the next global parameters, the inputs (participants, or
 * secure groups) its rule used and those it set aside with why, and each input's share of the weight used.
 */
public record Aggregation(double[] parameters, List<String> used, Map<String, String> excluded, Map<String, Double> shares) {
    public Aggregation {
        used = List.copyOf(used);
        excluded = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(excluded));
        shares = Map.copyOf(shares);
    }
}
