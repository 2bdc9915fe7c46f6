package org.fedai.fl.round;

import java.util.Map;

/**
 * How a secure round ended: the strategy's aggregation over group means (its {@code used} and {@code excluded}
 * name groups), each group's decoded sum or abort, and each roster member's contribution.
 */
public record SecureOutcome(Aggregation aggregation, Map<String, SecureRoundDriver.GroupSum> groups,
                            Map<String, Contribution> contributions) {

    public double[] parameters() {
        return aggregation.parameters();
    }

    /** Groups that produced no usable mean: aborted, or a sum of zero weight. */
    public long failedGroups() {
        return groups.entrySet().stream().filter(e -> e.getValue() instanceof SecureRoundDriver.GroupSum.Aborted
                || aggregation.excluded().getOrDefault(e.getKey(), "").startsWith("group weight")).count();
    }
}
