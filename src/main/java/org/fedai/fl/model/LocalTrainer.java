package org.fedai.fl.model;

import java.util.Random;
import org.fedai.fl.data.Dataset;

/** What a full node does in a round: SGD from the global weights on its own data, then a clipped delta. */
public final class LocalTrainer {

    private LocalTrainer() {
    }

    /** The result of local training: the clipped update (local - global) and the sample count it is weighted by. */
    public record LocalUpdate(double[] delta, int samples, double rawNorm, double lastLoss) {
    }

    public static LocalUpdate train(Model global, Dataset data, TrainingConfig cfg, Random random) {
        Model local = global.copy();
        double[] start = global.parameters();
        double loss = trainInPlace(local, data, cfg, random);
        double[] delta = Vectors.subtract(local.parameters(), start);
        double raw = Vectors.clipInPlace(delta, cfg.clipNorm());
        return new LocalUpdate(delta, data.size(), raw, loss);
    }

    /** Plain minibatch SGD for cfg.epochs() epochs over a fresh shuffle each epoch; returns the last epoch's mean loss. */
    public static double trainInPlace(Model model, Dataset data, TrainingConfig cfg, Random random) {
        int n = data.size();
        if (n == 0) {
            return Double.NaN;
        }
        double[] params = model.parameters();
        double[] grad = new double[params.length];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double epochLoss = 0;
        for (int e = 0; e < cfg.epochs(); e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            epochLoss = 0;
            int batches = 0;
            for (int from = 0; from < n; from += cfg.batchSize()) {
                int to = Math.min(n, from + cfg.batchSize());
                java.util.Arrays.fill(grad, 0);
                epochLoss += model.accumulateGradient(data.x(), data.y(), order, from, to, grad);
                batches++;
                Vectors.addScaledInPlace(params, grad, -cfg.learningRate());
                model.setParameters(params);
            }
            epochLoss /= batches;
        }
        return epochLoss;
    }

    public static double accuracy(Model model, Dataset test) {
        int right = 0;
        for (int i = 0; i < test.size(); i++) {
            if (model.predict(test.x()[i]) == test.y()[i]) {
                right++;
            }
        }
        return test.size() == 0 ? 0 : (double) right / test.size();
    }
}
