package org.fedai.fl.round;

import java.util.Map;
import java.util.Set;

/**
 * How a secure round ended: the strategy's aggregation over group means (its {@code used} and {@code excluded}
 * name groups), each group's decoded sum or abort, the groups that gave no usable mean (aborted, or a sum of
 * zero weight: failures, not the rule's exclusions), and each roster member's contribution.
 */
public record SecureOutcome(Aggregation aggregation, Map<String, SecureRoundDriver.GroupSum> groups, Set<String> unusable,
                            Map<String, Contribution> contributions) {

    public SecureOutcome {
        unusable = Set.copyOf(unusable);
    }

    public double[] parameters() {
        return aggregation.parameters();
    }
}
