package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code fedai bench throughput --adversarial}: the whole market simulator (one router, real-keyed nodes and
 * clients over the embedded relay) with a fifth of its nodes accepting work and never delivering. Every job still
 * completes (those swallowed are failed over to honest nodes), the router publishes a non_delivery claim (4409)
 * against each adversary that a third party verifies from the relay, and no work order reaches a slashed node
 * after its claim. The command waits on its own deadlines; nothing here is timed.
 */
class ThroughputAdversarialTest {

    private static final Pattern NODE_LINE = Pattern.compile("adversarial: node (\\d) \\w+: (\\d+) non_delivery"
            + " claims \\(4409\\) on the relay, first \\w+; (\\d+) valid by the verify-slash verifier;"
            + " work orders after the first claim: (\\d+)");

    @Test
    void neverDeliveringNodesAreSlashedFromTheRelayAndTheirJobsFailOverToHonestNodes() {
        CliRun run = CliRun.run("", "bench", "throughput", "--nodes", "10", "--adversarial", "0.2", "--jobs", "30",
                "--clients", "2", "--in-flight", "3", "--warmup", "0", "--deliver-within", "3");
        String all = run.out() + run.err();
        assertThat(run.exitCode()).as(all).isZero();
        assertThat(run.out()).as(all).contains("throughput: 30 free jobs in").contains("0 lost")
                .doesNotContain("throughput: lost ");
        Matcher swallowed = Pattern.compile("adversarial: 2 never-delivering nodes swallowed (\\d+) jobs")
                .matcher(run.out());
        assertThat(swallowed.find()).as(all).isTrue();
        // each adversary was handed at least its pinned job, and each was resent
        assertThat(Integer.parseInt(swallowed.group(1))).isGreaterThanOrEqualTo(2);
        List<Matcher> nodes = run.out().lines().map(NODE_LINE::matcher).filter(Matcher::find).toList();
        assertThat(nodes).as(all).hasSize(2);
        for (Matcher m : nodes) {
            int claims = Integer.parseInt(m.group(2));
            assertThat(claims).as(m.group()).isPositive();
            assertThat(Integer.parseInt(m.group(3))).as(m.group()).isEqualTo(claims);
            assertThat(Integer.parseInt(m.group(4))).as(m.group()).isZero();
        }
        assertThat(nodes).extracting(m -> m.group(1)).containsExactlyInAnyOrder("0", "1");
    }

    @Test
    void aFractionOutsideZeroToOneIsRefused() {
        CliRun run = CliRun.run("", "bench", "throughput", "--nodes", "2", "--adversarial", "1.5", "--jobs", "1");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--adversarial must be in [0, 1)");
    }
}
