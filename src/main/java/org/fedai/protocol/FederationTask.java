package org.fedai.protocol;

/**
 * 31410: what a coordinator asks the federation to train and on what terms.
 *
 * @param privacy       {@code plain} (validators see updates) or {@code secagg} (masked group sums)
 * @param groupSize     secagg: members per secure group (at least 3)
 * @param deadlines     seconds each phase stays open after the previous closes
 * @param rewardPolicy  e.g. {@code per_accepted_update}; {@code rewardMsatPerRound} is split by it
 * @param validator     pubkey of the validator whose 4427 reports the aggregator honours; empty: none
 * @param training      local-training hyper-parameters every full node uses, so updates are comparable
 */
public record FederationTask(String id, String aggregator, Model model, int rounds, int participantsNeeded,
                             String aggregation, String privacy, int groupSize, double clipNorm, Deadlines deadlines,
                             String rewardPolicy, long rewardMsatPerRound, long expiresAt, String validator,
                             Training training) {

    /** A task without a named validator and with the default training hyper-parameters. */
    public FederationTask(String id, String aggregator, Model model, int rounds, int participantsNeeded,
                          String aggregation, String privacy, int groupSize, double clipNorm, Deadlines deadlines,
                          String rewardPolicy, long rewardMsatPerRound, long expiresAt) {
        this(id, aggregator, model, rounds, participantsNeeded, aggregation, privacy, groupSize, clipNorm, deadlines,
                rewardPolicy, rewardMsatPerRound, expiresAt, "", Training.DEFAULT);
    }

    public FederationTask {
        validator = validator == null ? "" : validator;
        training = training == null ? Training.DEFAULT : training;
    }

    /** The model to train: architecture name, parameter count and the initial checkpoint's hash. */
    public record Model(String architecture, int parameters, String initialSha256) {
    }

    public record Deadlines(long enrollSeconds, long updateSeconds, long unmaskSeconds) {
    }

    /**
     * @param sampleCap secagg: a member's weight is min(samples, sampleCap) / sampleCap, so the weight fits the
     *                  quantization range; plain mode weighs by the sample count itself
     */
    public record Training(int epochs, int batchSize, double learningRate, int sampleCap) {
        public static final Training DEFAULT = new Training(1, 32, 0.1, 2000);
    }
}
