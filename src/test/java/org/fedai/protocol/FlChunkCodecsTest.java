package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.FlFixtures.COORDINATOR;
import static org.fedai.protocol.FlFixtures.OUTSIDER;
import static org.fedai.protocol.FlFixtures.P1;
import static org.fedai.protocol.FlFixtures.P2;
import static org.fedai.protocol.FlFixtures.ROUND;
import static org.fedai.protocol.FlFixtures.edited;
import static org.fedai.protocol.FlFixtures.reason;
import static org.fedai.protocol.FlFixtures.withTag;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.open;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.fedai.fl.Checkpoint;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;

class FlChunkCodecsTest {

    private static final String AGG = COORDINATOR.publicKey();
    private final int[] masked = IntStream.range(0, 20_000).map(i -> i * 0x9E3779B1).toArray();
    private final List<FlChunk> chunks = FlChunking.split(3, "p1", "g0-p1", "u32le", FlChunking.words(masked));

    private Event update(FlChunk c, org.fedai.nostr.KeyPair signer) {
        return EventSigner.sign(FlChunkCodecs.encodeUpdateChunk(c, ROUND, AGG, NOW), signer);
    }

    @Test
    void emptyContentIsMalformed() {
        Event e = edited(update(chunks.get(0), P1), P1, s -> "");
        assertThat(reason(FlChunkCodecs.decodeUpdateChunk(e, ROUND))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void otherKindIsWrongKind() {
        Event e = update(chunks.get(0), P1);
        assertThat(reason(FlChunkCodecs.decodeCheckpointChunk(e, ROUND, AGG))).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void maskedUpdateRoundTripsThroughChunksInAnyOrder() {
        assertThat(chunks).hasSize(4); // 80 000 bytes in 24 KiB chunks
        List<FlChunk> received = new ArrayList<>();
        for (FlChunk c : chunks) {
            Event e = update(c, P1);
            assertThat(EventJson.toJson(e).length()).isLessThan(60 * 1024);
            assertThat(KindSchemas.violations(e)).isEmpty();
            received.add(FlChunkCodecs.decodeUpdateChunk(e, ROUND).orElseThrow());
        }
        assertThat(received).isEqualTo(chunks);
        Collections.reverse(received);
        byte[] joined = FlChunking.assemble(received).orElseThrow();
        assertThat(FlChunking.words(joined).orElseThrow()).isEqualTo(masked);
    }

    @Test
    void chunkThatDoesNotHashToItsCommitmentIsInconsistent() {
        FlChunk c = chunks.get(1);
        byte[] bytes = Base64.getDecoder().decode(c.data());
        bytes[7] ^= 1;
        FlChunk flipped = new FlChunk(c.round(), c.from(), c.stream(), c.encoding(), c.index(), c.count(),
                c.chunkSha256(), c.manifestSha256(), c.wholeSha256(), Base64.getEncoder().encodeToString(bytes));
        assertThat(reason(FlChunkCodecs.decodeUpdateChunk(update(flipped, P1), ROUND))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void oversizedChunkIsTooLarge() {
        byte[] big = new byte[FlChunking.MAX_CHUNK_BYTES + 8];
        FlChunk c = chunks.get(0);
        FlChunk over = new FlChunk(3, "p1", "g0-p1", "u32le", 0, 1, c.chunkSha256(), c.manifestSha256(),
                c.wholeSha256(), Base64.getEncoder().encodeToString(big));
        assertThat(reason(FlChunkCodecs.decodeUpdateChunk(update(over, P1), ROUND))).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void nonFinitePlainValuesAreMalformed() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            FlChunk c = FlChunking.split(3, "p1", "p1", "f64le", FlChunking.doubles(new double[] {0.5, bad})).get(0);
            assertThat(reason(FlChunkCodecs.decodeUpdateChunk(update(c, P1), ROUND))).as("" + bad)
                    .isEqualTo(Reason.MALFORMED_CONTENT);
        }
        FlChunk fine = FlChunking.split(3, "p1", "p1", "f64le", FlChunking.doubles(new double[] {0.5, -1e300})).get(0);
        assertThat(FlChunkCodecs.decodeUpdateChunk(update(fine, P1), ROUND).isAccepted()).isTrue();
    }

    @Test
    void roundMismatchAndUnenrolledSender() {
        assertThat(reason(FlChunkCodecs.decodeUpdateChunk(update(chunks.get(0), P1), ROUND.withRound(4))))
                .isEqualTo(Reason.WRONG_ROUND);
        assertThat(reason(FlChunkCodecs.decodeUpdateChunk(update(chunks.get(0), OUTSIDER), ROUND)))
                .isEqualTo(Reason.NOT_ENROLLED);
        assertThat(reason(FlChunkCodecs.decodeUpdateChunk(update(chunks.get(0), P2), ROUND))) // p2 signing as p1
                .isEqualTo(Reason.NOT_ENROLLED);
        Event publicHash = withTag(update(chunks.get(0), P1), P1, "x", "00".repeat(32));
        assertThat(reason(FlChunkCodecs.decodeUpdateChunk(publicHash, ROUND))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void dataChunkIsSealedAndStaysUnderTheEventLimit() {
        byte[] data = new byte[60_000];
        new java.util.Random(1).nextBytes(data);
        List<FlChunk> parts = FlChunking.split(3, "light-1", "mnist-part-1", "bytes", data);
        List<FlChunk> received = new ArrayList<>();
        for (FlChunk c : parts) {
            Event e = EventSigner.sign(FlChunkCodecs.encodeDataChunk(c, ROUND, OUTSIDER, P1.publicKey(), NOW), OUTSIDER);
            assertThat(EventJson.toJson(e).length()).isLessThan(60 * 1024);
            assertThat(KindSchemas.violations(e, open(e, P1))).isEmpty();
            assertThat(reason(FlChunkCodecs.decodeDataChunk(e, ROUND, P2))).isEqualTo(Reason.NOT_FOR_US);
            received.add(FlChunkCodecs.decodeDataChunk(e, ROUND, P1).orElseThrow());
        }
        assertThat(FlChunking.assemble(received).orElseThrow()).isEqualTo(data);
    }

    @Test
    void checkpointCommitsToTheModelHashAndOnlyTheAggregatorSignsIt() {
        double[] model = IntStream.range(0, 5000).mapToDouble(i -> Math.sin(i) / 10).toArray();
        List<FlChunk> parts = FlChunking.split(3, "aggregator", "mnist-1", "f64le", FlChunking.doubles(model));
        assertThat(parts.get(0).wholeSha256()).isEqualTo(Checkpoint.hash(model));
        List<FlChunk> received = new ArrayList<>();
        for (FlChunk c : parts) {
            Event e = EventSigner.sign(FlChunkCodecs.encodeCheckpointChunk(c, ROUND, NOW), COORDINATOR);
            assertThat(KindSchemas.violations(e)).isEmpty();
            assertThat(e.firstTagValue("x")).contains(Checkpoint.hash(model));
            received.add(FlChunkCodecs.decodeCheckpointChunk(e, ROUND, AGG).orElseThrow());
            Event forged = EventSigner.sign(FlChunkCodecs.encodeCheckpointChunk(c, ROUND, NOW), P1);
            assertThat(reason(FlChunkCodecs.decodeCheckpointChunk(forged, ROUND, AGG))).isEqualTo(Reason.NOT_ENROLLED);
        }
        byte[] joined = FlChunking.assemble(received).orElseThrow();
        assertThat(FlChunking.finiteDoubles(joined).orElseThrow()).isEqualTo(model);
    }

    @Test
    void missingChunkFailsAssembly() {
        assertThat(reason(FlChunking.assemble(chunks.subList(1, chunks.size())))).isEqualTo(Reason.INCONSISTENT);
        assertThat(reason(FlChunking.assemble(List.of()))).isEqualTo(Reason.INCONSISTENT);
    }
}
