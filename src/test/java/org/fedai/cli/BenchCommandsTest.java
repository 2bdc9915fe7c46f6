package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * Each {@code fedai bench} command run for real with tiny parameters (the forms docs/BENCHMARKS.md shows): it
 * completes, loses no job and prints its figures. No timing is asserted: these are measurements, not tests of speed.
 * So the hop line is checked for its form only: on a loaded machine a step's own work can pass half a hop, and the
 * bench then rightly says the path waited beside its hops (CriticalPathHopsTest counts the hops).
 */
@RelayTest
class BenchCommandsTest {

    /** Either verdict the bench gives on the hop count, with the arithmetic it came from. */
    private static final String HOP_LINE = "critical path: (\\d+ hops|not a whole number of hops: .*) \\(?\\(?p50 [\\d.]+ ms at";

    @Test
    void marketFreeRunsSequentialFreeJobsAndPrintsLatencyAndTheBreakdown() {
        CliRun run = CliRun.run("", "bench", "market", "--free", "--jobs", "5", "--warmup", "2", "--breakdown");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("market: 5 free jobs in").contains("p50").contains("p99").contains("0 lost")
                .contains("median time since the spec reached the relay, per step").contains("work order +")
                .contains("receipt +");
    }

    @Test
    void marketWithBreakdownAndDelayRunsAtZeroThenAtTheDelayAndCountsTheHops() {
        CliRun run = CliRun.run("", "bench", "market", "--free", "--jobs", "3", "--warmup", "1", "--breakdown",
                "--delay-ms", "50");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("market: 3 free jobs (0 ms a hop) in", "market: 3 free jobs (50 ms a hop) in",
                "critical path at 50 ms a hop", "  1  spec").containsPattern(HOP_LINE);
    }

    @Test
    void paidMarketRunsATimingOverNwcAndShowsTheWalletTrafficOnItsPath() {
        CliRun run = CliRun.run("", "bench", "market", "--timing", "after", "--nwc", "--jobs", "2", "--warmup", "1",
                "--breakdown", "--delay-ms", "50");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("market: 2 paid jobs (after, wallets over NWC, 50 ms a hop) in", "0 lost",
                "client pay_invoice", "(wallet took", "(sent as the client ends the job: not waited on)")
                .containsPattern(HOP_LINE);
    }

    /** A newcomer's first job, each time: the path a client without fee credit takes (BENCHMARKS.md, tenth cut). */
    @Test
    void paidMarketFromANewClientEachJob() {
        CliRun run = CliRun.run("", "bench", "market", "--timing", "before", "--nwc", "--new-clients", "--jobs", "2",
                "--warmup", "1");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("market: 2 paid jobs (before, wallets over NWC, a new client each job) in",
                "0 lost");
    }

    @Test
    void marketAndThroughputRunOnAnotherRelay() throws Exception {
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start()) {
            CliRun market = CliRun.run("", "bench", "market", "--free", "--relay", relay.url(), "--jobs", "3",
                    "--warmup", "1");
            assertThat(market.exitCode()).as(market.out() + market.err()).isZero();
            assertThat(market.out()).contains("market: 3 free jobs in", "0 lost");
            long accepted = relay.stats().accepted();
            assertThat(accepted).isPositive();

            CliRun throughput = CliRun.run("", "bench", "throughput", "--relay", relay.url(), "--nodes", "2", "--jobs",
                    "10", "--clients", "1", "--in-flight", "2", "--warmup", "2");
            assertThat(throughput.exitCode()).as(throughput.out() + throughput.err()).isZero();
            assertThat(throughput.out()).contains("relay " + relay.url(), "throughput: 10 free jobs in", "0 lost");
            assertThat(relay.stats().accepted()).isGreaterThan(accepted);
        }
    }

    @Test
    void aDelayForAnotherRelayOrATimingForFreeJobsIsOneLine() {
        CliRun delay = CliRun.run("", "bench", "market", "--relay", "ws://127.0.0.1:1", "--delay-ms", "100");
        assertThat(delay.exitCode()).isEqualTo(2);
        assertThat(delay.err().lines().toList()).containsExactly("fedai bench market: --delay-ms holds back the"
                + " embedded relay's deliveries; another relay (--relay ws://127.0.0.1:1) delays as it does",
                "see 'fedai bench market --help'");
        CliRun timing = CliRun.run("", "bench", "market", "--free", "--timing", "after");
        assertThat(timing.err().lines().toList()).first()
                .isEqualTo("fedai bench market: --timing, --nwc and --new-clients are for paid jobs, not --free");
        CliRun free = CliRun.run("", "bench", "market", "--timing", "free");
        assertThat(free.err().lines().toList()).first().isEqualTo("fedai bench market: --timing must be one of"
                + " before, after, hold, atomic, partial; got free");
        CliRun throughput = CliRun.run("", "bench", "throughput", "--delay-ms", "-1");
        assertThat(throughput.err().lines().toList()).first()
                .isEqualTo("fedai bench throughput: --delay-ms must not be negative, got -1");
    }

    @Test
    void throughputRunsConcurrentClientsAgainstSimulatedNodes() {
        CliRun run = CliRun.run("", "bench", "throughput", "--nodes", "4", "--jobs", "40", "--clients", "2",
                "--in-flight", "3", "--warmup", "6");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("4 simulated nodes, 2 clients").contains("throughput: 40 free jobs in")
                .contains("jobs/s").contains("p99").contains("0 lost");
    }

    @Test
    void registryIngestsSignedManifestsAndReportsTheRetainedHeap() {
        CliRun run = CliRun.run("", "bench", "registry", "--manifests", "300");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("registry: 300 manifests ingested (0 refused, 300 live)")
                .contains("retained heap").contains("bytes per manifest");
    }

    @Test
    void storageRunsPaidJobsAndPrintsARowOfSizesPerBatch() {
        CliRun run = CliRun.run("", "bench", "storage", "--jobs", "4", "--every", "2", "--retain-seconds", "1");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        java.util.List<String> rows = run.out().lines().filter(l -> l.matches("\\| [0-9]+ \\|.*")).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)).startsWith("| 4 | ").endsWith("| 0 |");
    }
}
