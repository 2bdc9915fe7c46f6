package org.fedai.runner;

import java.util.Objects;

/**
 * What a run consumed, in the unit it is metered and priced by.
 *
 * @param unit      tokens for generation and chunking, texts for embeddings, bytes for binary work
 * @param input     units read (prompt tokens, texts embedded, bytes in)
 * @param output    units produced (completion tokens, vectors, chunks, bytes out)
 * @param estimated true when the upstream reported no usage and the runner counted for itself:
 *                  metering must know the figure is not the model server's own
 */
public record Usage(Unit unit, long input, long output, boolean estimated) {

    public enum Unit {
        TOKENS("tokens"), TEXTS("texts"), BYTES("bytes");

        private final String wireName;

        Unit(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public Usage {
        Objects.requireNonNull(unit, "unit");
        if (input < 0 || output < 0) {
            throw new IllegalArgumentException("usage must not be negative");
        }
    }

    public static Usage of(Unit unit, long input, long output) {
        return new Usage(unit, input, output, false);
    }

    public long total() {
        return input + output;
    }
}
