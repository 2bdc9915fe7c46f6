package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;

class FlChunkingProperties {

    @Property(tries = 60)
    void splitThenAssembleIsIdentity(@ForAll("payloads") byte[] payload) {
        List<FlChunk> chunks = FlChunking.split(1, "p1", "s", "bytes", payload);
        assertThat(chunks).allSatisfy(c -> assertThat(Base64.getDecoder().decode(c.data()).length)
                .isLessThanOrEqualTo(FlChunking.MAX_CHUNK_BYTES));
        List<FlChunk> shuffled = new ArrayList<>(chunks);
        java.util.Collections.shuffle(shuffled, new java.util.Random(payload.length));
        assertThat(FlChunking.assemble(shuffled).orElseThrow()).isEqualTo(payload);
    }

    /** Change one byte anywhere; even re-committing that chunk's own hash leaves the manifest to catch it. */
    @Property(tries = 60)
    void anySingleByteChangeIsDetected(@ForAll("payloads") byte[] payload, @ForAll @IntRange(min = 0) int where,
                                       @ForAll @IntRange(min = 1, max = 255) int xor, @ForAll boolean recommit) {
        if (payload.length == 0) {
            return;
        }
        List<FlChunk> chunks = new ArrayList<>(FlChunking.split(1, "p1", "s", "bytes", payload));
        int pos = where % payload.length;
        int index = pos / FlChunking.MAX_CHUNK_BYTES;
        FlChunk c = chunks.get(index);
        byte[] bytes = Base64.getDecoder().decode(c.data());
        bytes[pos % FlChunking.MAX_CHUNK_BYTES] ^= (byte) xor;
        String hash = recommit ? Hex.encode(Sha256.hash(bytes)) : c.chunkSha256();
        chunks.set(index, new FlChunk(c.round(), c.from(), c.stream(), c.encoding(), c.index(), c.count(), hash,
                c.manifestSha256(), c.wholeSha256(), Base64.getEncoder().encodeToString(bytes)));
        assertThat(FlChunking.assemble(chunks).isAccepted()).isFalse();
    }

    @Property(tries = 100)
    void wordsRoundTrip(@ForAll int[] values) {
        assertThat(FlChunking.words(FlChunking.words(values)).orElseThrow()).isEqualTo(values);
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        // random fill from a seed: generating 70 KB byte by byte through jqwik would dominate the run
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 3 * FlChunking.MAX_CHUNK_BYTES + 17),
                Arbitraries.longs()).as((n, seed) -> {
                    byte[] b = new byte[n];
                    new java.util.Random(seed).nextBytes(b);
                    return b;
                });
    }
}
