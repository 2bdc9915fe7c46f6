package org.fedai.fl.aggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedai.fl.model.Vectors;

/**
 * Blanchard et al. 2017: score each update by the summed squared distance to its n-f-2 nearest
 * neighbours, keep the m best scored, average them by weight. Krum is m = 1. With f unset the rule
 * assumes the most Byzantine inputs Krum tolerates, f = floor((n-3)/2), and keeps m = n - f.
 */
public final class MultiKrum implements AggregationRule {

    private final Integer byzantine;
    private final Integer keep;

    /** @param byzantine assumed attackers f, or null for floor((n-3)/2); @param keep m, or null for n - f */
    public MultiKrum(Integer byzantine, Integer keep) {
        this.byzantine = byzantine;
        this.keep = keep;
    }

    public static MultiKrum krum() {
        return new MultiKrum(null, 1);
    }

    @Override
    public String name() {
        return keep != null && keep == 1 ? "krum" : "multikrum";
    }

    @Override
    public Aggregate aggregate(List<WeightedUpdate> results, List<Failure> failures, double[] global) {
        int n = results.size();
        int f = byzantine != null ? byzantine : Math.max(0, (n - 3) / 2);
        int neighbours = Math.max(1, n - f - 2);
        int m = Math.max(1, Math.min(n, keep != null ? keep : n - f));
        if (n <= 2) {
            return new Aggregate(AggregationRule.weightedMean(results), results.stream().map(WeightedUpdate::source).toList(), Map.of());
        }
        double[][] dist = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                dist[i][j] = dist[j][i] = Vectors.squaredDistance(results.get(i).delta(), results.get(j).delta());
            }
        }
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            double[] row = new double[n - 1];
            int k = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    row[k++] = dist[i][j];
                }
            }
            Arrays.sort(row);
            for (int j = 0; j < Math.min(neighbours, row.length); j++) {
                score[i] += row[j];
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
        List<WeightedUpdate> chosen = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        for (int r = 0; r < n; r++) {
            WeightedUpdate u = results.get(order[r]);
            if (r < m) {
                chosen.add(u);
            } else {
                excluded.put(u.source(), String.format("krum score %.4g ranks %d of %d, keeping %d", score[order[r]], r + 1, n, m));
            }
        }
        return new Aggregate(AggregationRule.weightedMean(chosen), chosen.stream().map(WeightedUpdate::source).toList(), excluded);
    }
}
