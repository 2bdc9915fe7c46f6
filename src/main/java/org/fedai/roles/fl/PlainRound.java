package org.fedai.roles.fl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedai.fl.aggregation.Failure;
import org.fedai.fl.aggregation.RuleRegistry;
import org.fedai.fl.aggregation.WeightedUpdate;
import org.fedai.fl.model.Vectors;
import org.fedai.fl.round.Aggregation;
import org.fedai.fl.round.Contribution;
import org.fedai.fl.round.FederationStrategy;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FlMessage;

/**
 * One plain-mode round from its public inputs to the next global model: exactly what the aggregator
 * computes and what {@code fedai fl verify-round} recomputes from the relay, so both run this code on
 * the same inputs in the same order (participants sorted by id) and must get the same bits.
 *
 * <p>Steps: drop what the named validator excluded; clip each update to the task's bound (the aggregator
 * enforces the bound it can see); combine with the task's rule; add to the global model. {@code fltrust}
 * across processes weighs each update by the validator's trust score (ReLU of the cosine to its root
 * update), since only the validator holds the root set.
 */
final class PlainRound {

    /** A full node's plain update: the clipped delta and the sample count it stands for. */
    record Input(double[] delta, int samples) {
    }

    record Outcome(double[] parameters, List<String> used, Map<String, String> excluded,
                   Map<String, Contribution> contributions) {
    }

    private PlainRound() {
    }

    /** @param strategy the task's ({@link AggregatorRole#strategy}): its rule over the clipped updates */
    static Outcome run(FederationTask task, FederationStrategy strategy, double[] global, Map<String, Input> updates,
                       FlMessage.ValidationReport report, List<String> roster) {
        Map<String, String> excluded = new LinkedHashMap<>();
        Map<String, Double> quality = new TreeMap<>();
        if (report != null) {
            report.scores().forEach(s -> quality.put(s.update(), Math.max(0, Math.min(1, s.score()))));
        }
        List<WeightedUpdate> results = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String p : new TreeMap<>(updates).keySet()) {
            if (report != null && report.excluded().containsKey(p)) {
                excluded.put(p, "validator: " + report.excluded().get(p));
                failures.add(new Failure(p, excluded.get(p)));
                continue;
            }
            double[] delta = updates.get(p).delta().clone();
            Vectors.clipInPlace(delta, task.clipNorm());
            double weight = RuleRegistry.code(task.aggregation()) == RuleRegistry.Code.FLTRUST ? quality.getOrDefault(p, 0.0)
                    : updates.get(p).samples();
            if (weight > 0) {
                results.add(new WeightedUpdate(p, delta, weight));
            } else {
                excluded.put(p, "no trust from the validator");
            }
        }
        for (String p : roster) {
            if (!updates.containsKey(p)) {
                failures.add(new Failure(p, "no update"));
            }
        }
        Aggregation agg = strategy.aggregate(results, failures, global);
        agg.excluded().forEach(excluded::putIfAbsent);
        return new Outcome(agg.parameters(), agg.used(), excluded,
                contributions(roster, updates, agg.used(), excluded, quality, report != null));
    }

    /**
     * Reward rule: a used update's share is weight x quality over the sum of those products (weight = sample
     * count, quality = the validator's score, 1 without a validator); excluded or missing updates get 0.
     */
    private static Map<String, Contribution> contributions(List<String> roster, Map<String, Input> updates,
            List<String> used, Map<String, String> excluded, Map<String, Double> quality, boolean validated) {
        Map<String, Contribution> out = new TreeMap<>();
        double total = 0;
        for (String p : used) {
            total += updates.get(p).samples() * (validated ? quality.getOrDefault(p, 0.0) : 1.0);
        }
        for (String p : roster) {
            if (used.contains(p)) {
                double q = validated ? quality.getOrDefault(p, 0.0) : 1.0;
                double w = updates.get(p).samples();
                out.put(p, new Contribution(w, q, total > 0 ? w * q / total : 0, "accepted update"));
            } else {
                String why = excluded.getOrDefault(p, updates.containsKey(p) ? "not selected by the rule" : "no update");
                double w = updates.containsKey(p) ? updates.get(p).samples() : 0;
                out.put(p, new Contribution(w, quality.getOrDefault(p, 0.0), 0, why));
            }
        }
        return out;
    }

    /** The payload of a plain 4423: the delta's doubles, then the sample count as one more double. */
    static double[] encode(double[] delta, int samples) {
        double[] v = java.util.Arrays.copyOf(delta, delta.length + 1);
        v[delta.length] = samples;
        return v;
    }

    /** Null when the payload is not d + 1 values ending in a positive whole sample count. */
    static Input decode(double[] payload, int parameters) {
        if (payload.length != parameters + 1) {
            return null;
        }
        double s = payload[parameters];
        if (!(s >= 1) || s != Math.rint(s) || s > Integer.MAX_VALUE) {
            return null;
        }
        return new Input(java.util.Arrays.copyOf(payload, parameters), (int) s);
    }
}
