package org.fedai.fl.aggregation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.fedai.fl.model.Vectors;

/**
 * Cao et al. 2021 (FLTrust): a validator trains on a small clean root set to get a reference update
 * g0; each update gets trust ReLU(cos(g, g0)), is rescaled to |g0|, and the result is the
 * trust-weighted mean. Updates pointing away from g0 get zero trust however many they are.
 */
public final class FlTrust implements AggregationRule {

    private final UnaryOperator<double[]> rootUpdate;

    /** @param rootUpdate maps the current global parameters to the validator's update on its root set */
    public FlTrust(UnaryOperator<double[]> rootUpdate) {
        this.rootUpdate = rootUpdate;
    }

    @Override
    public String name() {
        return "fltrust";
    }

    @Override
    public Aggregate aggregate(List<WeightedUpdate> results, List<Failure> failures, double[] global) {
        double[] g0 = rootUpdate.apply(global);
        double n0 = Vectors.norm(g0);
        double[] out = new double[g0.length];
        if (n0 == 0) {
            return new Aggregate(out, List.of(), Map.of());
        }
        double total = 0;
        List<String> used = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        for (WeightedUpdate u : results) {
            double nu = Vectors.norm(u.delta());
            double cos = nu == 0 ? 0 : Vectors.dot(u.delta(), g0) / (nu * n0);
            double trust = Math.max(0, cos);
            if (trust == 0) {
                excluded.put(u.source(), String.format("cosine %.3f to the root update", cos));
                continue;
            }
            Vectors.addScaledInPlace(out, u.delta(), trust * n0 / nu);
            total += trust;
            used.add(u.source());
        }
        if (total > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] /= total;
            }
        }
        return new Aggregate(out, used, excluded);
    }
}
