package org.fedai.runner;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** What comes out of a successful run. */
public sealed interface RunOutput {

    /** Generated text. */
    record Text(String text) implements RunOutput {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Several texts, e.g. the chunks of a document, in order. */
    record Texts(List<String> texts) implements RunOutput {
        public Texts {
            texts = List.copyOf(texts);
        }
    }

    /** One vector per input text, in input order. */
    record Vectors(List<Embedding> vectors) implements RunOutput {
        public Vectors {
            vectors = List.copyOf(vectors);
        }

        public int dimensions() {
            return vectors.isEmpty() ? 0 : vectors.get(0).dimensions();
        }
    }

    /** Binary output (an image, audio) with its media type. */
    record Bytes(byte[] data, String mediaType) implements RunOutput {
        public Bytes {
            data = data.clone();
            Objects.requireNonNull(mediaType, "mediaType");
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(data, b.data) && mediaType.equals(b.mediaType);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(data) + mediaType.hashCode();
        }

        @Override
        public String toString() {
            return "Bytes[" + data.length + " bytes, " + mediaType + "]";
        }
    }
}
