package org.fedai.runner;

/**
 * Tuning for a run. Zero (or NaN for temperature) means "the runner's default", so a request
 * carries only what the client actually asked for.
 *
 * @param maxTokens    upper bound on generated tokens (text generation)
 * @param temperature  sampling temperature (text generation)
 * @param chunkTokens  maximum tokens per chunk (chunk)
 * @param chunkOverlap tokens shared by consecutive chunks (chunk)
 */
public record RunParams(int maxTokens, double temperature, int chunkTokens, int chunkOverlap) {

    public static final RunParams DEFAULTS = new RunParams(0, Double.NaN, 0, 0);

    public RunParams {
        if (maxTokens < 0 || chunkTokens < 0 || chunkOverlap < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    public static RunParams generation(int maxTokens, double temperature) {
        return new RunParams(maxTokens, temperature, 0, 0);
    }

    public static RunParams chunking(int chunkTokens, int chunkOverlap) {
        return new RunParams(0, Double.NaN, chunkTokens, chunkOverlap);
    }

    public boolean hasTemperature() {
        return !Double.isNaN(temperature);
    }
}
