package org.fedai.fl.data;

import java.util.Arrays;
import java.util.Objects;

/** Labelled samples: x[i] is one flattened input (pixels in [0,1]), y[i] its class. */
public record Dataset(float[][] x, int[] y) {

    public Dataset {
        Objects.requireNonNull(x);
        Objects.requireNonNull(y);
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " samples but y has " + y.length);
        }
    }

    public int size() {
        return y.length;
    }

    /** The samples at the given indices, in that order (arrays are shared, not copied: samples are immutable by convention). */
    public Dataset select(int[] indices) {
        float[][] sx = new float[indices.length][];
        int[] sy = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            sx[i] = x[indices[i]];
            sy[i] = y[indices[i]];
        }
        return new Dataset(sx, sy);
    }

    /** The same inputs with each label replaced by (classes-1-label): the label-flip attack's poisoned data. */
    public Dataset withFlippedLabels(int classes) {
        int[] flipped = Arrays.stream(y).map(l -> classes - 1 - l).toArray();
        return new Dataset(x, flipped);
    }

    public int[] labelCounts(int classes) {
        int[] c = new int[classes];
        for (int l : y) {
            c[l]++;
        }
        return c;
    }
}
