package org.fedai.roles.fl;

import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.fedai.fl.data.Dataset;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Secp256k1Keys;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FlChunk;
import org.fedai.protocol.FlChunkCodecs;
import org.fedai.protocol.FlChunking;
import org.fedai.protocol.FlContext;
import org.fedai.protocol.FlMessage;
import org.fedai.protocol.FlRoundCodecs;
import org.fedai.store.FlJournal;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * The aggregator over a real (embedded) relay with two honest full nodes and one that sends NaN, while an
 * adversary publishes an update from a key not enrolled, a chunk whose bytes do not match its hash, an
 * oversized chunk, a second copy of an update and a replay of a closed round. Each is refused with a counted
 * reason and the rounds still finish.
 */
@RelayTest
class AggregatorRefusalsTest {

    @Test
    void badInputIsRefusedCountedAndTheRoundsStillFinish() throws Exception {
        KeyPair coordinator = KeyPair.generate();
        List<KeyPair> honest = List.of(KeyPair.generate(), KeyPair.generate());
        KeyPair poisoner = KeyPair.generate();
        KeyPair stranger = KeyPair.generate();
        String taskId = "refusals";
        String task = FlContext.taskAddress(coordinator.publicKey(), taskId);
        StringWriter aggregatorOut = new StringWriter();
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start(); RelayPool pool = new RelayPool();
                FlJournal journal = FlJournal.inMemory()) {
            pool.addRelay(relay.url());
            AggregatorRole.Settings settings = new AggregatorRole.Settings(taskId, "logreg-784-10", 2, 3, "fedavg", "plain", 0, 1.0,
                    new FederationTask.Deadlines(30, 6, 6), 1000, "", new FederationTask.Training(1, 16, 0.1, 2000), 1, 0);
            AggregatorRole aggregator = new AggregatorRole(pool, coordinator, journal, settings, null,
                    RoundLog.to(new PrintWriter(aggregatorOut, true)));
            List<AutoCloseable> closing = new ArrayList<>(List.of(aggregator));
            List<CompletableFuture<Void>> running = new ArrayList<>();
            running.add(run(aggregator::run));
            List<KeyPair> nodes = List.of(honest.get(0), honest.get(1), poisoner);
            for (int i = 0; i < nodes.size(); i++) {
                FullNodeRole node = new FullNodeRole(pool, nodes.get(i), FlJournal.inMemory(), new FullNodeRole.Settings(
                        PublicKey.of(coordinator.publicKey()), taskId, synthetic(40, i), i == 2 ? Attacks.NAN : Contribution.HONEST, i, Duration.ofSeconds(60)),
                        RoundLog.to(new PrintWriter(new StringWriter(), true)));
                closing.add(node);
                running.add(run(node::run));
            }
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> aggregatorOut.toString().contains("round 1 "));
                String poisonerId = RoundState.participantId(poisoner.publicKey());
                FlContext round2 = new FlContext(task, 2, Map.of(poisonerId, poisoner.publicKey()));
                byte[] values = FlChunking.doubles(PlainRound.encode(new double[7850], 10));
                // a key the roster does not know
                publish(pool, stranger, updateChunk(FlChunking.split(2, RoundState.participantId(stranger.publicKey()), "x",
                        "f64le", values).getFirst(), new FlContext(task, 2, Map.of()), coordinator));
                // an enrolled key, but the chunk's bytes are not the ones its hash commits to
                FlChunk honestChunk = FlChunking.split(2, poisonerId, "y", "f64le", values).getFirst();
                byte[] altered = Base64.getDecoder().decode(honestChunk.data());
                altered[0] ^= 1;
                publish(pool, poisoner, updateChunk(withData(honestChunk, altered), round2, coordinator));
                // an enrolled key, a chunk over the 24 KiB bound
                publish(pool, poisoner, updateChunk(withData(honestChunk, new byte[FlChunking.MAX_CHUNK_BYTES + 8]), round2,
                        coordinator));
                // a replay of round 1: an enrollment for a closed round
                publish(pool, poisoner, FlRoundCodecs.encodeEnrollment(new FlMessage.Enrollment(1, poisonerId, freshKey(),
                        freshKey()), new FlContext(task, 1, Map.of()), coordinator.publicKey(), Instant.now().getEpochSecond()));
                CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
            } finally {
                for (AutoCloseable c : closing) {
                    c.close();
                }
            }
            assertThat(aggregatorOut.toString()).contains("final accuracy");
            RejectionCounts refused = aggregator.rejections();
            assertThat(refused.get("not_enrolled")).as(refused.toString()).isPositive();
            assertThat(refused.get("malformed_content")).as("the NaN updates: " + refused).isGreaterThanOrEqualTo(2);
            assertThat(refused.get("inconsistent")).as("the altered chunk: " + refused).isPositive();
            assertThat(refused.get("too_large")).as("the oversized chunk: " + refused).isPositive();
            assertThat(refused.get("wrong_round")).as("the replayed round: " + refused).isPositive();
            assertThat(aggregatorOut.toString()).contains("round 2 updates 2 used 2");
        }
    }

    private static UnsignedEvent updateChunk(FlChunk c, FlContext ctx, KeyPair aggregator) {
        return FlChunkCodecs.encodeUpdateChunk(c, ctx, aggregator.publicKey(), Instant.now().getEpochSecond());
    }

    /** The same chunk claiming its original hashes over other bytes. */
    private static FlChunk withData(FlChunk c, byte[] bytes) {
        return new FlChunk(c.round(), c.from(), c.stream(), c.encoding(), c.index(), c.count(), c.chunkSha256(),
                c.manifestSha256(), c.wholeSha256(), Base64.getEncoder().encodeToString(bytes));
    }

    private static void publish(RelayPool pool, KeyPair author, UnsignedEvent unsigned) {
        Event e = EventSigner.sign(unsigned, author);
        assertThat(pool.publish(e, Duration.ofSeconds(10)).join().acceptedByAny()).isTrue();
    }

    private static String freshKey() {
        return Hex.encode(Secp256k1Keys.xOnlyPublicKey(Secp256k1Keys.generateSecretKey()));
    }

    /** Random images with labels: enough for the roles to train, no download needed. */
    private static Dataset synthetic(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][784];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
            for (int p = 0; p < 784; p++) {
                x[i][p] = r.nextFloat();
            }
        }
        return new Dataset(x, y);
    }

    interface Body {
        void run() throws Exception;
    }

    static CompletableFuture<Void> run(Body body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }
}
