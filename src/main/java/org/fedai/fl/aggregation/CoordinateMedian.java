package org.fedai.fl.aggregation;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Yin et al. 2018: the coordinate-wise median, unweighted (weights would let one liar claim a majority). */
public final class CoordinateMedian implements AggregationRule {

    @Override
    public String name() {
        return "median";
    }

    @Override
    public Aggregate aggregate(List<WeightedUpdate> results, List<Failure> failures, double[] global) {
        int n = results.size();
        int d = results.getFirst().delta().length;
        double[] out = new double[d];
        double[] column = new double[n];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < n; k++) {
                column[k] = results.get(k).delta()[i];
            }
            Arrays.sort(column);
            out[i] = n % 2 == 1 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
        }
        return new Aggregate(out, results.stream().map(WeightedUpdate::source).toList(), Map.of());
    }
}
