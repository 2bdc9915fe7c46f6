package org.fedai.fl.model;

/**
 * What every model here shares: all parameters in one flat array, which is what federated rounds exchange,
 * clip, mask and average; subclasses only say how the array is laid out and used.
 */
abstract sealed class FlatParameterModel implements Model permits LogisticRegression, Mlp {

    protected final int inputs;
    protected final int classes;
    protected final double[] p;

    FlatParameterModel(int inputs, int classes, int parameterCount) {
        this.inputs = inputs;
        this.classes = classes;
        this.p = new double[parameterCount];
    }

    @Override
    public final int parameterCount() {
        return p.length;
    }

    @Override
    public final int inputSize() {
        return inputs;
    }

    @Override
    public final int classes() {
        return classes;
    }

    @Override
    public final double[] parameters() {
        return p.clone();
    }

    @Override
    public final void setParameters(double[] parameters) {
        if (parameters.length != p.length) {
            throw new IllegalArgumentException("expected " + p.length + " parameters, got " + parameters.length);
        }
        System.arraycopy(parameters, 0, p, 0, p.length);
    }
}
