package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Each {@code fedai bench} command run for real with tiny parameters: it completes, loses no job and prints its
 * figures. No timing is asserted: these are measurements, not tests of speed.
 */
class BenchCommandsTest {

    @Test
    void marketFreeRunsSequentialFreeJobsAndPrintsLatencyAndTheBreakdown() {
        CliRun run = CliRun.run("", "bench", "market", "--free", "--jobs", "5", "--warmup", "2", "--breakdown");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("market: 5 free jobs in").contains("p50").contains("p99").contains("0 lost")
                .contains("median time since the spec reached the relay:").contains("work order +")
                .contains("receipt +");
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
