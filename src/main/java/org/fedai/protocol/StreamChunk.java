package org.fedai.protocol;

/** Kind 24401 (event-kinds/24401-stream-chunk.md): streamed partial output, sealed to the client; ephemeral. */
public record StreamChunk(String jobId, long seq, String text) {
}
