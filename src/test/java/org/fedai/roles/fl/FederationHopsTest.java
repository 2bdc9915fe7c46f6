package org.fedai.roles.fl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedai.domain.PublicKey;
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
 * How many relay hops a federation round of the deployed roles waits on (issue 17), counted as
 * {@code CriticalPathHopsTest} counts a job's: the same task run with every live delivery held back by D and without,
 * the difference between their rounds divided by D. A round is measured from the aggregator's checkpoint of the round
 * before to its checkpoint of this one, in the steady state (rounds 2 and on), the fastest of them, so the members'
 * training, which is the same in both runs, cancels. The count must be exact: a change that adds a hop fails here.
 *
 * <p>Its figures are a benchmark too: {@code ./mvnw test -Dtest=FederationHopsTest} prints each measurement to
 * {@code target/surefire-reports/org.fedai.roles.fl.FederationHopsTest-output.txt} (docs/BENCHMARKS.md).
 *
 * <p>A round's hops, secagg: the checkpoint (with the next roster: members enrolled for the next round as soon as
 * they sent their update) -> the members' sealed key shares -> the aggregator's forward -> the masked inputs -> the
 * unmask requests -> the answers -> the next checkpoint: 6. Plain: the checkpoint (with the roster) -> the updates ->
 * the next checkpoint: 2.
 */
@RelayTest
class FederationHopsTest {

    static final Duration D = Duration.ofMillis(600);
    static final int ROUNDS = 4;
    static final int MEMBERS = 3;
    private static final Pattern ROUND_DONE = Pattern.compile("^round (\\d+) ");

    @Test
    void aSecureRoundWaitsOnSixHops() throws Exception {
        assertHopsPerRound("secagg", 6);
    }

    @Test
    void aPlainRoundWaitsOnTwoHops() throws Exception {
        assertHopsPerRound("plain", 2);
    }

    private static void assertHopsPerRound(String privacy, int expected) throws Exception {
        long at0 = fastestRound(privacy, Duration.ZERO);
        long atD = fastestRound(privacy, D);
        double hops = (atD - at0) / (double) D.toNanos();
        String measured = String.format(Locale.ROOT, "%s round: (%.1f ms at %d ms a hop - %.1f ms at 0) / %d ms = %.2f hops",
                privacy, atD / 1e6, D.toMillis(), at0 / 1e6, D.toMillis(), hops);
        System.out.println(measured); // the figures docs/BENCHMARKS.md quotes, in the test's output file
        assertThat(Math.round(hops)).as(measured).isEqualTo(expected);
    }

    /** The fastest steady-state round of a fresh task, in nanoseconds, with the relay delaying deliveries by delay. */
    private static long fastestRound(String privacy, Duration delay) throws Exception {
        Dataset all = MnistFixture.mnist();
        FlData split = new FlData(MEMBERS, 300, 0);
        KeyPair coordinator = KeyPair.generate();
        Map<Integer, Long> doneAt = new ConcurrentHashMap<>();
        RoundLog aggregatorLog = line -> {
            Matcher m = ROUND_DONE.matcher(line);
            if (m.find()) {
                doneAt.put(Integer.parseInt(m.group(1)), System.nanoTime());
            }
        };
        List<AutoCloseable> closing = new ArrayList<>();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start()) {
            relay.setDeliveryDelay(delay);
            try {
                AggregatorRole aggregator = new AggregatorRole(pool(relay, closing), coordinator, FlJournal.inMemory(),
                        new AggregatorRole.Settings("hops", "logreg-784-10", ROUNDS, MEMBERS, "fedavg", privacy,
                                privacy.equals("secagg") ? MEMBERS : 0, 1.0, new FederationTask.Deadlines(60, 60, 60),
                                3000, "", new FederationTask.Training(1, 16, 0.1, 2000), 7, 0),
                        split.test(all), aggregatorLog);
                closing.add(aggregator);
                running.add(AggregatorRefusalsTest.run(aggregator::run));
                for (int i = 0; i < MEMBERS; i++) {
                    Dataset own = split.shard(all, i, MEMBERS).select(java.util.stream.IntStream.range(0, 200).toArray());
                    FullNodeRole node = new FullNodeRole(pool(relay, closing), KeyPair.generate(), FlJournal.inMemory(),
                            new FullNodeRole.Settings(PublicKey.of(coordinator.publicKey()), "hops", own,
                                    Contribution.HONEST, i, Duration.ofSeconds(120)), line -> { });
                    closing.add(node);
                    running.add(AggregatorRefusalsTest.run(node::run));
                }
                CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
            } finally {
                for (AutoCloseable c : closing.reversed()) {
                    c.close();
                }
            }
        }
        assertThat(doneAt).containsKeys(java.util.stream.IntStream.rangeClosed(1, ROUNDS).boxed().toArray(Integer[]::new));
        long fastest = Long.MAX_VALUE;
        for (int n = 2; n <= ROUNDS; n++) {
            fastest = Math.min(fastest, doneAt.get(n) - doneAt.get(n - 1));
        }
        return fastest;
    }

    private static RelayPool pool(EmbeddedRelay relay, List<AutoCloseable> closing) {
        RelayPool pool = new RelayPool();
        pool.addRelay(relay.url());
        closing.add(pool);
        return pool;
    }
}
