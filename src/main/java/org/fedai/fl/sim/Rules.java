package org.fedai.fl.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.fedai.fl.aggregation.AggregationRule;
import org.fedai.fl.aggregation.CoordinateMedian;
import org.fedai.fl.aggregation.FedAvg;
import org.fedai.fl.aggregation.FlTrust;
import org.fedai.fl.aggregation.MultiKrum;
import org.fedai.fl.aggregation.TrimmedMean;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.model.LocalTrainer;
import org.fedai.fl.model.Model;
import org.fedai.fl.model.TrainingConfig;

/** The aggregation rules by their command-line names. */
public final class Rules {

    /** The rules by the names federation tasks (31410) use; krum is multi_krum keeping one update. */
    public static final String NAMES = "fedavg|median|trimmed_mean|krum|multi_krum|fltrust";

    /**
     * The task's name for a rule, from it or an older spelling ({@code trimmed}, {@code multikrum}: what
     * {@code fl simulate} used to take), so every command and every task names a rule one way.
     *
     * @throws IllegalArgumentException for a name that is no rule, naming the known ones
     */
    public static String canonical(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "trimmed", "trimmed_mean" -> "trimmed_mean";
            case "multikrum", "multi_krum" -> "multi_krum";
            case "fedavg", "median", "krum", "fltrust" -> n;
            default -> throw new IllegalArgumentException("unknown aggregation '" + name + "', expected " + NAMES);
        };
    }

    private Rules() {
    }

    /**
     * @param root     the validator's clean root set (FLTrust only)
     * @param template a model of the task's architecture, copied to train the root update
     */
    public static AggregationRule named(String name, Dataset root, TrainingConfig training, Model template, long seed) {
        return switch (canonical(name)) {
            case "fedavg" -> new FedAvg();
            case "median" -> new CoordinateMedian();
            case "trimmed_mean" -> new TrimmedMean(0.2);
            case "krum" -> MultiKrum.krum();
            case "multi_krum" -> new MultiKrum(null, null);
            case "fltrust" -> new FlTrust(global -> {
                Model m = template.copy();
                m.setParameters(global);
                return LocalTrainer.train(m, root, training, new Random(seed ^ Arrays.hashCode(global))).delta();
            });
            default -> throw new IllegalArgumentException("unknown aggregation '" + name + "', expected " + NAMES);
        };
    }
}
