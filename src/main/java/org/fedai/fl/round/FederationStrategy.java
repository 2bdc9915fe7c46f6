package org.fedai.fl.round;

import java.util.List;
import java.util.OptionalDouble;
import org.fedai.fl.aggregation.Failure;
import org.fedai.fl.aggregation.WeightedUpdate;

/**
 * The server's policy for a round, shaped as Flower's {@code Strategy}: how the roster is split into secure
 * groups, how the inputs that arrived become the next global model, and how a model is scored. The rest of a
 * round (who sends what, masking, unmasking, checkpoints) is the round driver's and the roles', not the strategy's.
 */
public interface FederationStrategy {

    /** The aggregation code (as a 31410 task spells it). */
    String code();

    /**
     * The secure groups of a round: each at least the strategy's group size, the roster shuffled by the
     * public {@code seed} so every observer derives the same split. One group of everybody when the rule
     * compares no inputs (a sum of all is all it needs) or the roster is too small to split.
     */
    List<List<String>> configureRound(List<String> roster, long seed);

    /**
     * @param results  inputs that arrived and passed checks (participants' updates, or secure groups' means)
     * @param failures inputs expected but not usable, for rules that count them
     * @param global   the current global parameters
     */
    Aggregation aggregate(List<WeightedUpdate> results, List<Failure> failures, double[] global);

    /** The model's score on the strategy's held-out data, if it has any. */
    OptionalDouble evaluate(double[] parameters);
}
