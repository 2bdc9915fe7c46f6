package org.fedai.fl.sim;

import org.fedai.fl.model.TrainingConfig;

/**
 * One simulated federation.
 *
 * @param groupSize secure mode with a robust rule: size of the random secure-aggregation groups whose
 *                  sums the robust rule then compares (0 = one group of everybody)
 * @param rootSize  FLTrust: clean samples the validator holds, taken out of the training pool
 * @param attackersSkipClipping secure mode: attackers run modified software that feeds their
 *                  boosted update into the masks unclipped (each coordinate still inside the
 *                  declared quantization range); the server then only has the group-mean bound
 */
public record SimulationConfig(int clients, int rounds, Attack attack, double attackerFraction, String aggregation,
                               boolean secure, double dropoutFraction, boolean nonIid, long seed, ModelKind model,
                               int hidden, TrainingConfig training, int groupSize, int testSize, int rootSize,
                               boolean attackersSkipClipping) {

    public enum ModelKind { LOGREG, MLP }

    public SimulationConfig {
        if (clients < 2 || rounds < 1) {
            throw new IllegalArgumentException("need at least 2 clients and 1 round");
        }
        if (!(attackerFraction >= 0 && attackerFraction < 1) || !(dropoutFraction >= 0 && dropoutFraction < 1)) {
            throw new IllegalArgumentException("fractions must be in [0, 1)");
        }
        if (groupSize < 0 || groupSize == 1 || groupSize == 2) {
            throw new IllegalArgumentException("secure groups need at least 3 members (a pair would reveal each other's input)");
        }
    }

    public int attackers() {
        return attack == Attack.NONE ? 0 : (int) Math.floor(attackerFraction * clients + 1e-9);
    }

    public static SimulationConfig defaults(int clients, int rounds) {
        return new SimulationConfig(clients, rounds, Attack.NONE, 0, "fedavg", false, 0, false, 1, ModelKind.MLP, 64,
                new TrainingConfig(2, 32, 0.1, 1.0), 0, 2000, 100, false);
    }
}
