package org.fedai.protocol;

/**
 * 31410: what a coordinator asks the federation to train and on what terms.
 *
 * @param privacy       {@code plain} (validators see updates) or {@code secagg} (masked group sums)
 * @param groupSize     secagg: members per secure group (at least 3)
 * @param deadlines     seconds each phase stays open after the previous closes
 * @param rewardPolicy  e.g. {@code per_accepted_update}; {@code rewardMsatPerRound} is split by it
 */
public record FederationTask(String id, String aggregator, Model model, int rounds, int participantsNeeded,
                             String aggregation, String privacy, int groupSize, double clipNorm, Deadlines deadlines,
                             String rewardPolicy, long rewardMsatPerRound, long expiresAt) {

    /** The model to train: architecture name, parameter count and the initial checkpoint's hash. */
    public record Model(String architecture, int parameters, String initialSha256) {
    }

    public record Deadlines(long enrollSeconds, long updateSeconds, long unmaskSeconds) {
    }
}
