package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.fedai.nostr.Event;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;

/**
 * Codecs of the three chunked payloads: 4422 data contribution (light -> full, sealed), 4423 update chunk
 * (full -> aggregator: masked u32le words, or f64le in plain mode) and 4428 checkpoint chunk (aggregator ->
 * all, f64le, {@code x} = sha256 of the whole model). Each chunk is checked on arrival (its hash, its size,
 * finite plain values); {@link FlChunking#assemble} checks the set.
 */
public final class FlChunkCodecs {

    private FlChunkCodecs() {
    }

    public static UnsignedEvent encodeDataChunk(FlChunk c, FlContext ctx, KeyPair light, String full, long createdAt) {
        return FlEnvelope.event(FedaiKind.FL_DATA_CHUNK, ctx, content(c), full, light, createdAt);
    }

    /** Light nodes are not round participants, so no roster check: the full node chose whom it accepts data from. */
    public static Decoded<FlChunk> decodeDataChunk(Event event, FlContext ctx, KeyPair full) {
        try {
            JsonNode root = FlEnvelope.openSealed(event, FedaiKind.FL_DATA_CHUNK, ctx, full);
            return Decoded.accepted(chunk(root, ctx, FlEnvelope.participant(root, "from"), Set.of("bytes")));
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }

    public static UnsignedEvent encodeUpdateChunk(FlChunk c, FlContext ctx, String aggregator, long createdAt) {
        return FlEnvelope.event(FedaiKind.FL_UPDATE_CHUNK, ctx, content(c), aggregator, null, createdAt)
                .withTag("x", c.wholeSha256());
    }

    public static Decoded<FlChunk> decodeUpdateChunk(Event event, FlContext ctx) {
        try {
            JsonNode root = FlEnvelope.openPlain(event, FedaiKind.FL_UPDATE_CHUNK, ctx);
            FlChunk c = chunk(root, ctx, FlEnvelope.enrolledSender(event, ctx, root, "from"), Set.of("u32le", "f64le"));
            publicHash(event, c);
            return Decoded.accepted(c);
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }

    public static UnsignedEvent encodeCheckpointChunk(FlChunk c, FlContext ctx, long createdAt) {
        return FlEnvelope.event(FedaiKind.FL_CHECKPOINT_CHUNK, ctx, content(c), null, null, createdAt)
                .withTag("x", c.wholeSha256());
    }

    public static Decoded<FlChunk> decodeCheckpointChunk(Event event, FlContext ctx, String aggregator) {
        try {
            JsonNode root = FlEnvelope.openPlain(event, FedaiKind.FL_CHECKPOINT_CHUNK, ctx);
            if (!event.pubkey().equals(aggregator)) {
                throw new InvalidContentException(Rejection.Reason.NOT_ENROLLED, "checkpoint not signed by the aggregator");
            }
            FlChunk c = chunk(root, ctx, FlEnvelope.participant(root, "from"), Set.of("f64le"));
            publicHash(event, c);
            return Decoded.accepted(c);
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }

    private static ObjectNode content(FlChunk c) {
        return Json.MAPPER.createObjectNode().put("from", c.from()).put("stream", c.stream())
                .put("encoding", c.encoding()).put("index", c.index()).put("count", c.count())
                .put("chunk_sha256", c.chunkSha256()).put("manifest_sha256", c.manifestSha256())
                .put("whole_sha256", c.wholeSha256()).put("data", c.data());
    }

    private static void publicHash(Event event, FlChunk c) throws InvalidContentException {
        if (!c.wholeSha256().equals(event.firstTagValue("x").orElse(""))) {
            throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "whole_sha256 differs from the x tag");
        }
    }

    private static FlChunk chunk(JsonNode root, FlContext ctx, String from, Set<String> encodings)
            throws InvalidContentException {
        String encoding = JsonFields.text(root, "encoding");
        if (!encodings.contains(encoding)) {
            throw JsonFields.invalid("encoding must be one of " + encodings);
        }
        int count = JsonFields.nonNegativeInt(root, "count");
        int index = JsonFields.nonNegativeInt(root, "index");
        if (count < 1 || count > FlChunking.MAX_CHUNKS || index >= count) {
            throw JsonFields.invalid("index must be in 0..count-1 and count in 1.." + FlChunking.MAX_CHUNKS);
        }
        FlChunk c = new FlChunk(ctx.round(), from, FlEnvelope.participant(root, "stream"), encoding, index, count,
                JsonFields.hex32(root, "chunk_sha256"), JsonFields.hex32(root, "manifest_sha256"),
                JsonFields.hex32(root, "whole_sha256"), JsonFields.text(root, "data"));
        byte[] bytes = FlChunking.bytesOf(c);
        // chunks split on MAX_CHUNK_BYTES, a multiple of 8, so every chunk holds whole words and doubles
        int width = encoding.equals("f64le") ? 8 : encoding.equals("u32le") ? 4 : 1;
        if (bytes.length % width != 0) {
            throw JsonFields.invalid("chunk is not a whole number of " + width + "-byte values");
        }
        if (width == 8 && FlChunking.finiteDoubles(bytes) instanceof Decoded.Rejected<double[]> r) {
            throw new InvalidContentException(r.rejection().reason(), r.rejection().detail());
        }
        return c;
    }
}
