package org.fedai.roles.fl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FlChunk;
import org.fedai.protocol.FlChunking;

/**
 * Gathers the chunks of each (sender, stream) until the set is whole, then assembles it once. Each chunk
 * was already checked on arrival by its codec; the set is checked here (manifest and whole hash). A stream
 * whose set fails is forgotten, so a sender may send it again.
 */
final class ChunkStreams {

    /** One assembled payload, with who sent it. */
    record Whole(String sender, String from, String stream, String encoding, String sha256, byte[] bytes) {
    }

    private final Map<String, Map<Integer, FlChunk>> open = new HashMap<>();
    private final RejectionCounts rejections;

    ChunkStreams(RejectionCounts rejections) {
        this.rejections = rejections;
    }

    /** {@code about}: the chunk's event, whose author is the stream's sender and whose kind its refusals count. */
    Optional<Whole> offer(org.fedai.nostr.Event about, FlChunk chunk) {
        String sender = about.pubkey();
        String key = sender + "/" + chunk.stream() + "/" + chunk.wholeSha256();
        Map<Integer, FlChunk> parts = open.computeIfAbsent(key, k -> new HashMap<>());
        parts.put(chunk.index(), chunk);
        if (parts.size() < chunk.count()) {
            return Optional.empty();
        }
        open.remove(key);
        Decoded<byte[]> joined = FlChunking.assemble(new ArrayList<>(parts.values()));
        if (joined instanceof Decoded.Rejected<byte[]> r) {
            rejections.count(about.kind(), r.rejection());
            return Optional.empty();
        }
        return Optional.of(new Whole(sender, chunk.from(), chunk.stream(), chunk.encoding(), chunk.wholeSha256(),
                joined.orElseThrow()));
    }

    /** Drops every partial set: a new round starts. */
    void clear() {
        open.clear();
    }

    static Optional<double[]> doubles(org.fedai.nostr.Event about, Whole w, RejectionCounts rejections) {
        Decoded<double[]> d = FlChunking.finiteDoubles(w.bytes());
        if (d instanceof Decoded.Rejected<double[]> r) {
            rejections.count(about.kind(), r.rejection());
            return Optional.empty();
        }
        return Optional.of(d.orElseThrow());
    }
}
