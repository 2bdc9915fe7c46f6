package org.fedai.fl.model;

/**
 * A classifier whose state is one flat parameter vector, so updates, masks and checkpoints are all
 * the same plain double[] (and later the same quantized int[]).
 */
public sealed interface Model permits FlatParameterModel {

    int parameterCount();

    int inputSize();

    int classes();

    /** A copy of the parameters; mutating it does not touch the model. */
    double[] parameters();

    void setParameters(double[] parameters);

    /**
     * Adds the gradient of the mean cross-entropy over samples {@code order[from..to)} into
     * {@code gradient} and returns that mean loss.
     */
    double accumulateGradient(float[][] x, int[] y, int[] order, int from, int to, double[] gradient);

    /** Class scores (logits) of one input. */
    double[] logits(float[] input);

    Model copy();

    default int predict(float[] input) {
        double[] z = logits(input);
        int best = 0;
        for (int c = 1; c < z.length; c++) {
            if (z[c] > z[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Turns logits into probabilities in place (max-shifted so large logits do not overflow). */
    static void softmaxInPlace(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            z[i] = Math.exp(z[i] - max);
            sum += z[i];
        }
        for (int i = 0; i < z.length; i++) {
            z[i] /= sum;
        }
    }
}
