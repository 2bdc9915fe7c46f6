package org.fedai.fl.aggregation;

import java.util.List;

/**
 * How a round's updates become one update (the aggregate step of a Flower Strategy). Failures come
 * beside the results because rules must know how many inputs were expected, not just received.
 */
public interface AggregationRule {

    String name();

    /**
     * @param results updates that arrived and passed validation (non-empty, equal lengths)
     * @param failures participants or groups that produced nothing usable
     * @param global   the current global parameters (rules like FLTrust evaluate against them)
     */
    Aggregate aggregate(List<WeightedUpdate> results, List<Failure> failures, double[] global);

    /** Sample-count-weighted mean of the given updates. */
    static double[] weightedMean(List<WeightedUpdate> updates) {
        int d = updates.getFirst().delta().length;
        double[] out = new double[d];
        double total = 0;
        for (WeightedUpdate u : updates) {
            total += u.weight();
        }
        for (WeightedUpdate u : updates) {
            double w = u.weight() / total;
            double[] x = u.delta();
            for (int i = 0; i < d; i++) {
                out[i] += w * x[i];
            }
        }
        return out;
    }
}
