package org.fedai.fl.model;

import java.util.Random;

/**
 * One hidden ReLU layer. Parameters, flat: W1[hidden][inputs], b1[hidden], W2[classes][hidden],
 * b2[classes].
 */
public final class Mlp extends FlatParameterModel {

    private final int hidden;
    private final int b1;
    private final int w2;
    private final int b2;

    private Mlp(int inputs, int hidden, int classes) {
        super(inputs, classes, parameterCount(inputs, hidden, classes));
        this.hidden = hidden;
        this.b1 = hidden * inputs;
        this.w2 = b1 + hidden;
        this.b2 = w2 + classes * hidden;
    }

    /** He-initialised weights (ReLU), zero biases; the seed makes every client start from the same model. */
    public static Mlp initialised(int inputs, int hidden, int classes, long seed) {
        Mlp m = new Mlp(inputs, hidden, classes);
        Random r = new Random(seed);
        double s1 = Math.sqrt(2.0 / inputs);
        for (int i = 0; i < m.b1; i++) {
            m.p[i] = r.nextGaussian() * s1;
        }
        double s2 = Math.sqrt(2.0 / hidden);
        for (int i = m.w2; i < m.b2; i++) {
            m.p[i] = r.nextGaussian() * s2;
        }
        return m;
    }

    public static int parameterCount(int inputs, int hidden, int classes) {
        return hidden * inputs + hidden + classes * hidden + classes;
    }

    private void hiddenActivations(float[] in, double[] h) {
        for (int j = 0; j < hidden; j++) {
            double s = p[b1 + j];
            int row = j * inputs;
            for (int i = 0; i < inputs; i++) {
                s += p[row + i] * in[i];
            }
            h[j] = s > 0 ? s : 0;
        }
    }

    private void output(double[] h, double[] z) {
        for (int c = 0; c < classes; c++) {
            double s = p[b2 + c];
            int row = w2 + c * hidden;
            for (int j = 0; j < hidden; j++) {
                s += p[row + j] * h[j];
            }
            z[c] = s;
        }
    }

    @Override
    public double[] logits(float[] input) {
        double[] h = new double[hidden];
        double[] z = new double[classes];
        hiddenActivations(input, h);
        output(h, z);
        return z;
    }

    @Override
    public double accumulateGradient(float[][] x, int[] y, int[] order, int from, int to, double[] g) {
        int n = to - from;
        double loss = 0;
        double[] h = new double[hidden];
        double[] z = new double[classes];
        double[] dh = new double[hidden];
        for (int k = from; k < to; k++) {
            float[] in = x[order[k]];
            int label = y[order[k]];
            hiddenActivations(in, h);
            output(h, z);
            Model.softmaxInPlace(z);
            loss -= Math.log(Math.max(z[label], 1e-12));
            java.util.Arrays.fill(dh, 0);
            for (int c = 0; c < classes; c++) {
                double d = (z[c] - (c == label ? 1 : 0)) / n;
                int row = w2 + c * hidden;
                for (int j = 0; j < hidden; j++) {
                    g[row + j] += d * h[j];
                    dh[j] += d * p[row + j];
                }
                g[b2 + c] += d;
            }
            for (int j = 0; j < hidden; j++) {
                if (h[j] <= 0) {
                    continue; // ReLU passes no gradient where it was inactive
                }
                double d = dh[j];
                int row = j * inputs;
                for (int i = 0; i < inputs; i++) {
                    g[row + i] += d * in[i];
                }
                g[b1 + j] += d;
            }
        }
        return loss / n;
    }

    @Override
    public Model copy() {
        Mlp m = new Mlp(inputs, hidden, classes);
        m.setParameters(p);
        return m;
    }
}
