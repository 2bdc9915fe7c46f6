package org.fedai.fl.model;

/**
 * Local training hyper-parameters a federation task declares.
 *
 * @param epochs       local epochs per round
 * @param batchSize    minibatch size
 * @param learningRate SGD step
 * @param clipNorm     L2 bound on every client update (the delta, not the weights); also the
 *                     quantization range of secure aggregation
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, double clipNorm) {

    public TrainingConfig {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !(clipNorm > 0)) {
            throw new IllegalArgumentException("epochs, batch size, learning rate and clip norm must be positive");
        }
    }
}
