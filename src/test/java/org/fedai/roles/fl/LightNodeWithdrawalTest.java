package org.fedai.roles.fl;

import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedai.fl.data.Dataset;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.protocol.FederationTask;
import org.fedai.store.FlJournal;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/** A light node seals data to a full node and then withdraws it: the full node trains without it. */
@RelayTest
class LightNodeWithdrawalTest {

    @Test
    void withdrawnDataIsNotTrainedOn() throws Exception {
        KeyPair coordinator = KeyPair.generate();
        KeyPair light = KeyPair.generate();
        KeyPair kept = KeyPair.generate();
        KeyPair withdrawn = KeyPair.generate();
        StringWriter log = new StringWriter();
        List<AutoCloseable> closing = new ArrayList<>();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start(); RelayPool pool = new RelayPool()) {
            pool.addRelay(relay.url());
            LightNodeRole lightNode = new LightNodeRole(pool, light, PublicKey.of(coordinator.publicKey()), "withdrawal", Duration.ofSeconds(10));
            // the same light node gives data to two full nodes, then withdraws everything it sent for the task
            LightNodeRole.Sent sent = lightNode.contribute(samples(30, 7), withdrawn.publicKey());
            assertThat(sent.eventIds()).hasSize(1);
            assertThat(lightNode.withdraw()).isEqualTo(1);
            KeyPair other = KeyPair.generate();
            new LightNodeRole(pool, other, PublicKey.of(coordinator.publicKey()), "withdrawal", Duration.ofSeconds(10))
                    .contribute(samples(20, 8), kept.publicKey());
            try {
                AggregatorRole aggregator = new AggregatorRole(pool, coordinator, FlJournal.inMemory(),
                        new AggregatorRole.Settings("withdrawal", "logreg-784-10", 1, 2, "fedavg", "plain", 0, 1.0,
                                new FederationTask.Deadlines(30, 30, 30), 1000, "", FederationTask.Training.DEFAULT, 1, 0),
                        null, RoundLog.to(new PrintWriter(log, true)));
                closing.add(aggregator);
                running.add(AggregatorRefusalsTest.run(aggregator::run));
                for (KeyPair k : List.of(kept, withdrawn)) {
                    FullNodeRole node = new FullNodeRole(pool, k, FlJournal.inMemory(), new FullNodeRole.Settings(
                            PublicKey.of(coordinator.publicKey()), "withdrawal", samples(40, 1), Contribution.HONEST, 1, Duration.ofSeconds(60)),
                            RoundLog.to(new PrintWriter(log, true)));
                    closing.add(node);
                    running.add(AggregatorRefusalsTest.run(node::run));
                }
                CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            } finally {
                for (AutoCloseable c : closing) {
                    c.close();
                }
            }
        }
        String out = log.toString();
        assertThat(out).contains("full " + RoundState.participantId(kept.publicKey())
                + ": round 1 update from 60 samples (20 from light nodes)");
        assertThat(out).contains("full " + RoundState.participantId(withdrawn.publicKey())
                + ": round 1 update from 40 samples (0 from light nodes)");
    }

    private static Dataset samples(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][784];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
            for (int p = 0; p < 784; p++) {
                x[i][p] = Math.round(r.nextFloat() * 255) / 255f;
            }
        }
        return new Dataset(x, y);
    }
}
