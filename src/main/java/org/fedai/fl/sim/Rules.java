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

    public static final String NAMES = "fedavg|median|trimmed|krum|multikrum|fltrust";

    private Rules() {
    }

    /**
     * @param root     the validator's clean root set (FLTrust only)
     * @param template a model of the task's architecture, copied to train the root update
     */
    public static AggregationRule named(String name, Dataset root, TrainingConfig training, Model template, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fedavg" -> new FedAvg();
            case "median" -> new CoordinateMedian();
            case "trimmed" -> new TrimmedMean(0.2);
            case "krum" -> MultiKrum.krum();
            case "multikrum" -> new MultiKrum(null, null);
            case "fltrust" -> new FlTrust(global -> {
                Model m = template.copy();
                m.setParameters(global);
                return LocalTrainer.train(m, root, training, new Random(seed ^ Arrays.hashCode(global))).delta();
            });
            default -> throw new IllegalArgumentException("unknown aggregation '" + name + "', expected " + NAMES);
        };
    }
}
