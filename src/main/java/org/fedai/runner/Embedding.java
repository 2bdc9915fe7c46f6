package org.fedai.runner;

import java.util.Arrays;

/** One embedding vector. Immutable: the array is copied in and out, so cached vectors stay intact. */
public record Embedding(float[] values) {

    public Embedding {
        values = values.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    public int dimensions() {
        return values.length;
    }

    public float get(int i) {
        return values[i];
    }

    public double norm() {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    /** Cosine similarity; 0 when either vector is all zeros. */
    public double cosine(Embedding other) {
        if (other.values.length != values.length) {
            throw new IllegalArgumentException("dimension mismatch: " + values.length + " vs " + other.values.length);
        }
        double dot = 0;
        for (int i = 0; i < values.length; i++) {
            dot += (double) values[i] * other.values[i];
        }
        double n = norm() * other.norm();
        return n == 0 ? 0 : dot / n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding e && Arrays.equals(values, e.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Embedding[" + values.length + " dims]";
    }
}
