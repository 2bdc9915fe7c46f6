package org.fedai.protocol;

/**
 * One chunk of a large federation payload (4422 data, 4423 update, 4428 checkpoint). {@code data} is the
 * base64 of at most {@link FlChunking#MAX_CHUNK_BYTES} bytes; {@code chunkSha256} commits to those bytes,
 * {@code manifestSha256} to the ordered list of all chunk hashes, {@code wholeSha256} to the joined bytes.
 *
 * @param stream   what the chunks make up together: a data-set name, an update id, a model id
 * @param encoding how to read the joined bytes: {@code bytes}, {@code u32le} (quantized or masked words),
 *                 {@code f64le} (IEEE-754 doubles)
 */
public record FlChunk(int round, String from, String stream, String encoding, int index, int count,
                      String chunkSha256, String manifestSha256, String wholeSha256, String data) {
}
