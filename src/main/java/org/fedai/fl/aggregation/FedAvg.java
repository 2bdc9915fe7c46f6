package org.fedai.fl.aggregation;

import java.util.List;
import java.util.Map;

/** McMahan et al.'s FedAvg: the sample-weighted mean, no defence at all (the baseline attacks break). */
public final class FedAvg implements AggregationRule {

    @Override
    public String name() {
        return "fedavg";
    }

    @Override
    public Aggregate aggregate(List<WeightedUpdate> results, List<Failure> failures, double[] global) {
        return new Aggregate(AggregationRule.weightedMean(results), results.stream().map(WeightedUpdate::source).toList(), Map.of());
    }
}
