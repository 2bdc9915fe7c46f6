package org.fedai.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;

/**
 * Splits a payload into hash-committed chunks and joins them back. Each chunk carries the hash of its own
 * bytes, the manifest hash (sha256 of the concatenated 32-byte chunk hashes, in order) and the hash of the
 * whole payload, so a receiver can refuse a bad chunk on arrival and a bad set at assembly.
 */
public final class FlChunking {

    /**
     * Raw bytes per chunk. Base64 makes 32 KiB of it; NIP-44 padding and its own base64 keep a sealed
     * chunk event under the 60 KB limit (24 KiB raw -> about 55 KB of content).
     */
    public static final int MAX_CHUNK_BYTES = 24 * 1024;
    public static final int MAX_CHUNKS = 4096;
    public static final Set<String> ENCODINGS = Set.of("bytes", "u32le", "f64le");

    private FlChunking() {
    }

    public static List<FlChunk> split(int round, String from, String stream, String encoding, byte[] whole) {
        if (!ENCODINGS.contains(encoding)) {
            throw new IllegalArgumentException("unknown encoding " + encoding);
        }
        int count = Math.max(1, (whole.length + MAX_CHUNK_BYTES - 1) / MAX_CHUNK_BYTES);
        if (count > MAX_CHUNKS) {
            throw new IllegalArgumentException("payload needs more than " + MAX_CHUNKS + " chunks");
        }
        List<byte[]> pieces = new ArrayList<>();
        ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            byte[] piece = Arrays.copyOfRange(whole, i * MAX_CHUNK_BYTES, Math.min(whole.length, (i + 1) * MAX_CHUNK_BYTES));
            pieces.add(piece);
            hashes.writeBytes(Sha256.hash(piece));
        }
        String manifest = Hex.encode(Sha256.hash(hashes.toByteArray()));
        String wholeHash = Hex.encode(Sha256.hash(whole));
        List<FlChunk> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] piece = pieces.get(i);
            out.add(new FlChunk(round, from, stream, encoding, i, count, Hex.encode(Sha256.hash(piece)), manifest,
                    wholeHash, Base64.getEncoder().encodeToString(piece)));
        }
        return out;
    }

    /** The chunk's bytes, checked against its own hash and the size bound. */
    static byte[] bytesOf(FlChunk c) throws InvalidContentException {
        if (c.data().length() > 4 * ((MAX_CHUNK_BYTES + 2) / 3)) {
            throw new InvalidContentException(Rejection.Reason.TOO_LARGE, "chunk over " + MAX_CHUNK_BYTES + " bytes");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(c.data());
        } catch (IllegalArgumentException e) {
            throw JsonFields.invalid("data is not base64");
        }
        if (!Hex.encode(Sha256.hash(bytes)).equals(c.chunkSha256())) {
            throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "chunk " + c.index() + " does not hash to chunk_sha256");
        }
        return bytes;
    }

    /** Joins a complete set of chunks of one stream, in any order, and checks manifest and whole hash. */
    public static Decoded<byte[]> assemble(List<FlChunk> chunks) {
        if (chunks.isEmpty()) {
            return Decoded.rejected(Rejection.Reason.INCONSISTENT, "no chunks");
        }
        FlChunk first = chunks.get(0);
        FlChunk[] ordered = new FlChunk[first.count()];
        try {
            for (FlChunk c : chunks) {
                if (c.count() != first.count() || !c.manifestSha256().equals(first.manifestSha256())
                        || !c.wholeSha256().equals(first.wholeSha256()) || !c.stream().equals(first.stream())
                        || c.index() < 0 || c.index() >= ordered.length) {
                    throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "chunks disagree on their stream");
                }
                ordered[c.index()] = c;
            }
            ByteArrayOutputStream hashes = new ByteArrayOutputStream();
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            for (int i = 0; i < ordered.length; i++) {
                if (ordered[i] == null) {
                    throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "chunk " + i + " of " + ordered.length + " missing");
                }
                byte[] bytes = bytesOf(ordered[i]);
                hashes.writeBytes(Sha256.hash(bytes));
                whole.writeBytes(bytes);
            }
            if (!Hex.encode(Sha256.hash(hashes.toByteArray())).equals(first.manifestSha256())) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "chunk hashes do not match the manifest");
            }
            byte[] joined = whole.toByteArray();
            if (!Hex.encode(Sha256.hash(joined)).equals(first.wholeSha256())) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "joined payload does not hash to whole_sha256");
            }
            return Decoded.accepted(joined);
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    /** u32le: each int as a little-endian unsigned 32-bit word (values are residues mod 2^32). */
    public static byte[] words(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return b.array();
    }

    public static Decoded<int[]> words(byte[] bytes) {
        if (bytes.length % 4 != 0) {
            return Decoded.rejected(Rejection.Reason.MALFORMED_CONTENT, "u32le payload is not a whole number of words");
        }
        int[] out = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return Decoded.accepted(out);
    }

    /** f64le: IEEE-754 doubles, little-endian, the layout {@code org.fedai.fl.Checkpoint} hashes. */
    public static byte[] doubles(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return b.array();
    }

    /** Plain values must be finite: a NaN or infinity would poison every sum it enters. */
    public static Decoded<double[]> finiteDoubles(byte[] bytes) {
        if (bytes.length % 8 != 0) {
            return Decoded.rejected(Rejection.Reason.MALFORMED_CONTENT, "f64le payload is not a whole number of doubles");
        }
        double[] out = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                return Decoded.rejected(Rejection.Reason.MALFORMED_CONTENT, "value " + i + " is not finite: " + out[i]);
            }
        }
        return Decoded.accepted(out);
    }
}
