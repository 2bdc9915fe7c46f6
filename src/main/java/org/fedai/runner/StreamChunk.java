package org.fedai.runner;

import java.util.Objects;

/** A piece of output delivered while a run is still going (24401 stream chunks are built from these). */
public sealed interface StreamChunk {

    /** Sequence number of this chunk within its run, from 0. */
    int index();

    record TextDelta(int index, String text) implements StreamChunk {
        public TextDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Binary partial output, for image or audio runners. */
    record BytesDelta(int index, byte[] data, String mediaType) implements StreamChunk {
        public BytesDelta {
            data = data.clone();
            Objects.requireNonNull(mediaType, "mediaType");
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }
}
