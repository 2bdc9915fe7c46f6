package org.fedai.runner;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads embedding vectors out of model-server JSON, refusing anything that is not a list of numbers. */
final class Vectors {

    private Vectors() {
    }

    static Embedding parse(JsonNode array) throws RunFailedException {
        if (!array.isArray() || array.isEmpty()) {
            throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL, "embedding is not a non-empty array");
        }
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isNumber()) {
                throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL, "embedding holds a non-number at " + i);
            }
            values[i] = v.floatValue();
        }
        return new Embedding(values);
    }

    static void requireSameDimensions(Embedding[] vectors) throws RunFailedException {
        for (Embedding e : vectors) {
            if (e.dimensions() != vectors[0].dimensions()) {
                throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL, "embeddings differ in dimension");
            }
        }
    }
}
