package org.fedai.fl.round;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.fedai.fl.aggregation.Aggregate;
import org.fedai.fl.aggregation.AggregationRule;
import org.fedai.fl.aggregation.Failure;
import org.fedai.fl.aggregation.RuleRegistry;
import org.fedai.fl.aggregation.WeightedUpdate;
import org.fedai.fl.model.Vectors;

/** The default strategy: a rule from {@link RuleRegistry}, applied to the global model as one step of size 1. */
public final class RuleStrategy implements FederationStrategy {

    private final AggregationRule rule;
    private final String code;
    private final int groupSize;
    private final ToDoubleFunction<double[]> evaluation;

    /**
     * @param groupSize  secure groups' minimum size; 0 sums everybody at once
     * @param evaluation the model's accuracy on held-out data, or null without any
     */
    public RuleStrategy(String code, RuleRegistry.Trust trust, int groupSize, ToDoubleFunction<double[]> evaluation) {
        this.code = RuleRegistry.canonical(code);
        this.rule = RuleRegistry.rule(code, trust);
        this.groupSize = groupSize;
        this.evaluation = evaluation;
    }

    @Override
    public String code() {
        return code;
    }

    /** Whether the rule compares inputs (anything but FedAvg): such a rule needs several groups to compare. */
    public boolean robust() {
        return !code.equals(RuleRegistry.Code.FEDAVG.code());
    }

    @Override
    public List<List<String>> configureRound(List<String> roster, long seed) {
        return groups(roster, groupSize, seed);
    }

    /** Groups of at least {@code groupSize} (the remainder spread over the first groups, one group if too few); 0 = one group unshuffled. */
    public static List<List<String>> groups(List<String> roster, int groupSize, long seed) {
        if (groupSize <= 0) {
            return List.of(List.copyOf(roster));
        }
        List<String> order = new ArrayList<>(roster);
        Collections.shuffle(order, new Random(seed));
        int count = Math.max(1, order.size() / groupSize);
        List<List<String>> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < order.size(); i++) {
            out.get(i % count).add(order.get(i));
        }
        return out.stream().map(List::copyOf).toList();
    }

    @Override
    public Aggregation aggregate(List<WeightedUpdate> results, List<Failure> failures, double[] global) {
        double[] next = global.clone();
        if (results.isEmpty()) {
            return new Aggregation(next, List.of(), Map.of(), Map.of());
        }
        Aggregate agg = rule.aggregate(results, failures, global);
        Vectors.addScaledInPlace(next, agg.delta(), 1.0);
        double total = results.stream().filter(r -> agg.used().contains(r.source())).mapToDouble(WeightedUpdate::weight).sum();
        Map<String, Double> shares = new LinkedHashMap<>();
        for (WeightedUpdate r : results) {
            shares.put(r.source(), agg.used().contains(r.source()) && total > 0 ? r.weight() / total : 0.0);
        }
        return new Aggregation(next, agg.used(), agg.excluded(), shares);
    }

    @Override
    public OptionalDouble evaluate(double[] parameters) {
        return evaluation == null ? OptionalDouble.empty() : OptionalDouble.of(evaluation.applyAsDouble(parameters));
    }
}
