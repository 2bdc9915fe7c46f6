package org.fedai.fl.aggregation;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Yin et al. 2018: per coordinate, drop the beta fraction of largest and of smallest values, average the rest. */
public final class TrimmedMean implements AggregationRule {

    private final double beta;

    public TrimmedMean(double beta) {
        if (!(beta >= 0 && beta < 0.5)) {
            throw new IllegalArgumentException("trim fraction must be in [0, 0.5)");
        }
        this.beta = beta;
    }

    @Override
    public String name() {
        return "trimmed";
    }

    @Override
    public Aggregate aggregate(List<WeightedUpdate> results, List<Failure> failures, double[] global) {
        int n = results.size();
        int trim = (int) Math.floor(beta * n);
        if (n - 2 * trim < 1) {
            trim = (n - 1) / 2;
        }
        int d = results.getFirst().delta().length;
        double[] out = new double[d];
        double[] column = new double[n];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < n; k++) {
                column[k] = results.get(k).delta()[i];
            }
            Arrays.sort(column);
            double s = 0;
            for (int k = trim; k < n - trim; k++) {
                s += column[k];
            }
            out[i] = s / (n - 2 * trim);
        }
        return new Aggregate(out, results.stream().map(WeightedUpdate::source).toList(), Map.of());
    }
}
