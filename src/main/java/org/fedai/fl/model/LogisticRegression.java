package org.fedai.fl.model;

/** Multinomial logistic regression: parameters are W[classes][inputs] row-major, then b[classes]. */
public final class LogisticRegression extends FlatParameterModel {

    public LogisticRegression(int inputs, int classes) {
        super(inputs, classes, classes * inputs + classes);
    }

    @Override
    public double[] logits(float[] input) {
        double[] z = new double[classes];
        int bias = classes * inputs;
        for (int c = 0; c < classes; c++) {
            double s = p[bias + c];
            int row = c * inputs;
            for (int i = 0; i < inputs; i++) {
                s += p[row + i] * input[i];
            }
            z[c] = s;
        }
        return z;
    }

    @Override
    public double accumulateGradient(float[][] x, int[] y, int[] order, int from, int to, double[] gradient) {
        int n = to - from;
        double loss = 0;
        int bias = classes * inputs;
        for (int k = from; k < to; k++) {
            float[] in = x[order[k]];
            int label = y[order[k]];
            double[] prob = logits(in);
            Model.softmaxInPlace(prob);
            loss -= Math.log(Math.max(prob[label], 1e-12));
            for (int c = 0; c < classes; c++) {
                double d = (prob[c] - (c == label ? 1 : 0)) / n;
                int row = c * inputs;
                for (int i = 0; i < inputs; i++) {
                    gradient[row + i] += d * in[i];
                }
                gradient[bias + c] += d;
            }
        }
        return loss / n;
    }

    @Override
    public Model copy() {
        LogisticRegression m = new LogisticRegression(inputs, classes);
        m.setParameters(p);
        return m;
    }
}
