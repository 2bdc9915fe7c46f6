package org.fedai.roles.fl;

import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.data.MnistFixture;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.protocol.FederationTask;
import org.fedai.store.FlJournal;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * secagg across role instances that share nothing but a relay: six full nodes in two secure groups of
 * three, each with its own relay connection and keys; the aggregator sees only the two group sums, combines
 * them with the median, and the model learns although one member vanishes after sharing its keys each round; verify-round recomputes the last round from the masked inputs
 * and the aggregator's unmask reveal.
 */
@RelayTest
class SecureFederationTest {

    @Test
    void secureGroupsOverARelayTrainTheModel() throws Exception {
        Dataset all = MnistFixture.mnist();
        FlData split = new FlData(3, 500, 0);
        KeyPair coordinator = KeyPair.generate();
        KeyPair member = KeyPair.generate();
        StringWriter log = new StringWriter();
        List<AutoCloseable> closing = new ArrayList<>();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start()) {
            try {
                RelayPool aggPool = pool(relay, closing);
                AggregatorRole aggregator = new AggregatorRole(aggPool, coordinator, FlJournal.inMemory(),
                        new AggregatorRole.Settings("secure", "logreg-784-10", 2, 6, "median", "secagg", 3, 1.0,
                                new FederationTask.Deadlines(60, 10, 60), 6000, "", new FederationTask.Training(1, 16, 0.1, 2000),
                                3, 0), split.test(all), RoundLog.to(new PrintWriter(log, true)));
                closing.add(aggregator);
                running.add(AggregatorRefusalsTest.run(aggregator::run));
                for (int i = 0; i < 6; i++) {
                    Dataset shard = split.shard(all, i, 6);
                    Dataset own = shard.select(java.util.stream.IntStream.range(0, 400).toArray());
                    FullNodeRole node = new FullNodeRole(pool(relay, closing), i == 0 ? member : KeyPair.generate(), FlJournal.inMemory(),
                            new FullNodeRole.Settings(PublicKey.of(coordinator.publicKey()), "secure", own, i == 5 ? Attacks.VANISH : Contribution.HONEST, i,
                                    Duration.ofSeconds(120)),
                            RoundLog.to(new PrintWriter(log, true)));
                    closing.add(node);
                    running.add(AggregatorRefusalsTest.run(node::run));
                }
                CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
            } finally {
                for (AutoCloseable c : closing.reversed()) {
                    c.close();
                }
            }
            String out = log.toString();
            // one member vanishes after sharing its keys each round: its group's sum is recovered from the others
            assertThat(out).contains("round 1 accuracy", "round 2 accuracy", "updates 5 used 2 excluded []", "final accuracy");
            assertThat(out.split(", but ", -1)).hasSize(3);
            java.util.regex.Matcher last = java.util.regex.Pattern.compile("final accuracy \\S+ checkpoint ([0-9a-f]{64})").matcher(out);
            assertThat(last.find()).isTrue();
            try (RelayPool pool = new RelayPool()) {
                pool.addRelay(relay.url());
                RoundVerifier.Verdict v = RoundVerifier.verify(pool, PublicKey.of(coordinator.publicKey()), "secure", 2, PublicKey.of(member.publicKey()),
                        Duration.ofSeconds(20));
                assertThat(v.problems()).as(v.toString()).isEmpty();
                assertThat(v.recomputedSha256()).isEqualTo(last.group(1));
                assertThat(v.mineIncluded()).contains(true);
            }
            double first = accuracy(out, 1);
            assertThat(first).as(out).isGreaterThan(0.5);
            assertThat(accuracy(out, 2)).as(out).isGreaterThanOrEqualTo(first - 0.02);
        }
    }

    private static double accuracy(String out, int round) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("round " + round + " accuracy (\\S+)").matcher(out);
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static RelayPool pool(EmbeddedRelay relay, List<AutoCloseable> closing) {
        RelayPool pool = new RelayPool();
        pool.addRelay(relay.url());
        closing.add(pool);
        return pool;
    }
}
