package org.fedai.fl.aggregation;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The one map from an aggregation code to its rule, used by {@code fl simulate}, the aggregator and
 * {@code fl verify-round} alike. The codes are the spellings a federation task (31410) carries; older
 * command-line spellings are aliases of them. An unknown code is refused, naming the known ones: a rule
 * that quietly became FedAvg would train without the defence the task asked for.
 */
public final class RuleRegistry {

    /** Every rule by its code; {@code onWire} says whether a 31410 task may name it. */
    public enum Code {
        FEDAVG("fedavg", true),
        MEDIAN("median", true),
        TRIMMED_MEAN("trimmed_mean", true),
        KRUM("krum", false),
        MULTI_KRUM("multi_krum", true),
        FLTRUST("fltrust", true);

        private final String code;
        private final boolean onWire;

        Code(String code, boolean onWire) {
            this.code = code;
            this.onWire = onWire;
        }

        public String code() {
            return code;
        }

        public boolean onWire() {
            return onWire;
        }
    }

    /** The codes, as messages and help texts list them. */
    public static final String NAMES = Arrays.stream(Code.values()).map(Code::code).collect(Collectors.joining("|"));

    private RuleRegistry() {
    }

    /**
     * The code for a name: a code itself, or an older spelling ({@code trimmed}, {@code multikrum}: what
     * {@code fl simulate} used to take, and what {@link TrimmedMean#name()} and {@link MultiKrum#name()} still say).
     *
     * @throws IllegalArgumentException for a name that is no rule, naming the known ones
     */
    public static Code code(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "fedavg" -> Code.FEDAVG;
            case "median" -> Code.MEDIAN;
            case "trimmed", "trimmed_mean" -> Code.TRIMMED_MEAN;
            case "krum" -> Code.KRUM;
            case "multikrum", "multi_krum" -> Code.MULTI_KRUM;
            case "fltrust" -> Code.FLTRUST;
            default -> throw new IllegalArgumentException("unknown aggregation '" + name + "', expected " + NAMES);
        };
    }

    /** The code's spelling for a name (see {@link #code}). */
    public static String canonical(String name) {
        return code(name).code();
    }

    /**
     * Where FLTrust's trust comes from. Only the holder of the clean root set can compute the reference
     * update, so a rule built without one must say how trust reached the weights instead.
     */
    public sealed interface Trust {
        /** The validator's root set is local (the simulator): trust is computed from the root update. */
        record RootUpdate(UnaryOperator<double[]> rootUpdate) implements Trust {
        }

        /** Each update's weight already is the validator's published trust score (plain rounds across processes). */
        record ScoredWeights() implements Trust {
        }

        /** Nobody scored the inputs: FLTrust cannot run. */
        record None() implements Trust {
        }
    }

    /** The rule for a code; {@code trust} matters to fltrust only. */
    public static AggregationRule rule(String name, Trust trust) {
        return switch (code(name)) {
            case FEDAVG -> new FedAvg();
            case MEDIAN -> new CoordinateMedian();
            case TRIMMED_MEAN -> new TrimmedMean(0.2);
            case KRUM -> MultiKrum.krum();
            case MULTI_KRUM -> new MultiKrum(null, null);
            case FLTRUST -> switch (trust) {
                case Trust.RootUpdate r -> new FlTrust(r.rootUpdate());
                case Trust.ScoredWeights s -> new TrustWeightedMean();
                case Trust.None n -> throw new IllegalArgumentException(
                        "fltrust needs the validator's root update or its scores, and these inputs have neither");
            };
        };
    }

    /** FLTrust across processes: the validator's scores are the weights, so the step is their weighted mean. */
    private static final class TrustWeightedMean implements AggregationRule {
        private final FedAvg mean = new FedAvg();

        @Override
        public String name() {
            return "fltrust";
        }

        @Override
        public Aggregate aggregate(java.util.List<WeightedUpdate> results, java.util.List<Failure> failures, double[] global) {
            return mean.aggregate(results, failures, global);
        }
    }
}
