package org.fedai.roles.fl;

import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedai.fl.Checkpoint;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.data.MnistFixture;
import org.fedai.fl.model.LocalTrainer;
import org.fedai.fl.model.Model;
import org.fedai.fl.model.TrainingConfig;
import org.fedai.fl.model.Vectors;
import org.fedai.fl.round.SecureRoundDriver;
import org.fedai.fl.sim.InProcessTransport;
import org.fedai.fl.sim.MaskingSum;
import org.fedai.fl.sim.SecureSum;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.protocol.FederationTask;
import org.fedai.store.FlJournal;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * The secure round driver through the role path: an aggregator and three full nodes sharing nothing but a relay
 * run one secagg round (the aggregator's {@link RelayChannel}, the nodes' {@link SecureParticipant}). The same
 * updates summed in process by the same driver ({@code fl simulate}'s way) give the very checkpoint the
 * aggregator signed: one protocol, two channels.
 */
@RelayTest
class SecureRoundRolePathTest {

    private static final String ARCH = "logreg-784-10";
    private static final FederationTask.Training TRAINING = new FederationTask.Training(1, 16, 0.1, 2000);

    @Test
    void theRolesCheckpointIsTheInProcessDriversResult() throws Exception {
        Dataset all = MnistFixture.mnist();
        FlData split = new FlData(3, 500, 0);
        KeyPair coordinator = KeyPair.generate();
        List<Dataset> shards = new ArrayList<>();
        List<AutoCloseable> closing = new ArrayList<>();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        StringWriter log = new StringWriter();
        AggregatorRole aggregator;
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start()) {
            try {
                aggregator = new AggregatorRole(pool(relay, closing), coordinator, FlJournal.inMemory(),
                        new AggregatorRole.Settings("path", ARCH, 1, 3, "fedavg", "secagg", 3, 1.0,
                                new FederationTask.Deadlines(60, 60, 60), 3000, "", TRAINING, 7, 0),
                        split.test(all), RoundLog.to(new PrintWriter(log, true)));
                closing.add(aggregator);
                CompletableFuture<AggregatorRole.Result> result = new CompletableFuture<>();
                AggregatorRole agg = aggregator;
                running.add(AggregatorRefusalsTest.run(() -> result.complete(agg.run())));
                for (int i = 0; i < 3; i++) {
                    Dataset own = split.shard(all, i, 3).select(java.util.stream.IntStream.range(0, 300 + 50 * i).toArray());
                    shards.add(own);
                    FullNodeRole node = new FullNodeRole(pool(relay, closing), KeyPair.generate(), FlJournal.inMemory(),
                            new FullNodeRole.Settings(PublicKey.of(coordinator.publicKey()), "path", own, Contribution.HONEST, i, Duration.ofSeconds(120)),
                            RoundLog.to(new PrintWriter(log, true)));
                    closing.add(node);
                    running.add(AggregatorRefusalsTest.run(node::run));
                }
                CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
                AggregatorRole.Result roles = result.get();

                double[] initial = FlData.model(ARCH, 7).orElseThrow().parameters();
                assertThat(Checkpoint.hash(initial)).isEqualTo(aggregator.task().model().initialSha256());
                SecureRoundDriver driver = new SecureRoundDriver(AggregatorRole.strategy(aggregator.task(), null),
                        new SecureRoundDriver.Scale(1.0, TRAINING.sampleCap()));
                Map<String, double[]> inputs = new HashMap<>();
                for (int i = 0; i < 3; i++) { // what full node i computes: FullNodeRole trains, SecureParticipant clips and weighs
                    Model m = FlData.model(ARCH, i).orElseThrow();
                    m.setParameters(initial);
                    double[] delta = LocalTrainer.train(m, shards.get(i), new TrainingConfig(1, 16, 0.1, 1.0),
                            new Random(i * 7919L + 1)).delta();
                    Vectors.clipInPlace(delta, 1.0);
                    inputs.put("n" + i, SecureRoundDriver.weighted(driver.scale(), delta, shards.get(i).size()));
                }
                List<SecureRoundDriver.Group> groups = driver.groups("in-process", 1, List.of("n0", "n1", "n2"), initial.length + 1,
                        SecureRoundDriver.DROPOUT_TOLERANCE, 1);
                SecureSum.Sums sums = new MaskingSum().sumAll(1, groups, inputs, Set.of(), 1.0, SecureRoundDriver.DROPOUT_TOLERANCE,
                        new InProcessTransport(), new SecureRandom());
                double[] inProcess = driver.combine(groups, sums.sums(), initial).parameters();
                assertThat(Checkpoint.hash(inProcess)).as(log.toString()).isEqualTo(roles.checkpointSha256());
                assertThat(log.toString()).contains("updates 3 used 1 excluded []");
            } finally {
                for (AutoCloseable c : closing.reversed()) {
                    c.close();
                }
            }
        }
    }

    private static RelayPool pool(EmbeddedRelay relay, List<AutoCloseable> closing) {
        RelayPool pool = new RelayPool();
        pool.addRelay(relay.url());
        closing.add(pool);
        return pool;
    }
}
