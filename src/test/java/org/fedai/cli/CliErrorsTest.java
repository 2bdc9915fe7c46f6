package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * Every ordinary mistake the deployability review hit gets one line, {@code fedai <command>: <what is wrong>}
 * (plus {@code see 'fedai <command> --help'} for usage), exit 2 for usage and 1 at run time, and no stack trace.
 */
@RelayTest
class CliErrorsTest {

    /** No relay listens here: connections are refused at once. */
    private static final String DEAD_RELAY = "ws://127.0.0.1:1";
    private static final String SOME_KEY = "ab".repeat(32);

    @Test
    void aBogusRouterKeyIsAUsageErrorNamingTheValue() {
        CliRun run = CliRun.run("", "client", "submit", "--relay", DEAD_RELAY, "--router", "npub1bogus",
                "--wallet-db", "unused.db", "a text");

        assertUsage(run, "fedai client submit: --router must be an npub or 64 lowercase hex, got npub1bogus");
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        assertUsage(CliRun.run("", "relay", "--port", "99999"), "fedai relay: port must be 0..65535, got 99999");
    }

    @Test
    void theMarketBenchRefusesABadDelayAnUnknownTimingAndADelayOnAnotherRelayInOneLine() {
        assertUsage(CliRun.run("", "bench", "market", "--delay-ms", "-1"),
                "fedai bench market: --delay-ms must not be negative, got -1");
        assertUsage(CliRun.run("", "bench", "market", "--timing", "soon"),
                "fedai bench market: --timing must be one of before, after, hold, atomic, partial; got soon");
        assertUsage(CliRun.run("", "bench", "market", "--relay", "ws://127.0.0.1:1", "--delay-ms", "5"),
                "fedai bench market: --delay-ms holds back the embedded relay's deliveries; another relay"
                        + " (--relay ws://127.0.0.1:1) delays as it does");
    }

    @Test
    void aNegativeRelayDelayIsAUsageError() {
        assertUsage(CliRun.run("", "relay", "--delay-ms", "-5"), "fedai relay: --delay-ms must not be negative, got -5");
    }

    @Test
    void aPortInUseIsOneRuntimeLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.run("", "relay", "--port", String.valueOf(taken.getLocalPort()));

            assertRuntime(run, "fedai relay: relay could not listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use");
        }
    }

    @Test
    void aSubmitWithoutTextsSaysSoInsteadOfWaiting() {
        CliRun run = CliRun.run("", "client", "submit", "--relay", DEAD_RELAY, "--router", SOME_KEY,
                "--wallet-db", "unused.db");

        assertUsage(run, "fedai client submit: no texts: give them as arguments or one per line on stdin");
    }

    @Test
    void anUnreachableRelayIsNamedAndTheCommandFails() {
        assertRuntime(CliRun.run("", "req", "--relay", DEAD_RELAY, "--filter", "{\"kinds\":[1]}", "--timeout", "2"),
                "fedai req: relay " + DEAD_RELAY + ": connection refused");
        assertRuntime(CliRun.run("", "client", "submit", "--relay", DEAD_RELAY, "--router", SOME_KEY,
                "--wallet-db", "unused.db", "a text"), "fedai client submit: relay " + DEAD_RELAY + ": connection refused");
        assertRuntime(CliRun.run("", "demo", "--relay", DEAD_RELAY),
                "fedai demo: relay " + DEAD_RELAY + ": connection refused");
    }

    @Test
    void anUnknownTaskIsRefusedAndNamesTheKnownOnes() {
        CliRun run = CliRun.run("", "client", "submit", "--relay", DEAD_RELAY, "--router", SOME_KEY,
                "--wallet-db", "unused.db", "--task", "bogus", "a text");

        assertUsage(run, "fedai client submit: --task bogus: one of chat, chunk, embedding");
    }

    @Test
    void aRouterTakesOneWallet() {
        CliRun run = CliRun.run("", "router", "--relay", DEAD_RELAY, "--wallet-db", "w.db", "--nwc",
                "nostr+walletconnect://" + SOME_KEY + "?relay=ws%3A%2F%2F127.0.0.1%3A1&secret=" + SOME_KEY);

        assertUsage(run, "fedai router: --wallet-db is the dev wallet's ledger: not with --nwc or --lnd");
    }

    @Test
    void aNegativeNewcomerCreditIsAUsageError() {
        CliRun run = CliRun.run("", "router", "--relay", DEAD_RELAY, "--newcomer-credit-msat", "-5");

        assertUsage(run, "fedai router: --newcomer-credit-msat must not be negative, got -5");
    }

    @Test
    void anUnknownFederationTaskIsAUsageError() {
        CliRun run = CliRun.run("", "fl", "full", "--relay", DEAD_RELAY, "--task", "bogus", "--shard", "0/2");

        assertUsage(run, "fedai fl full: --task must be an naddr of a 31410 or 31410:<coordinator hex>:<id>");
    }

    @Test
    void anAggregatorNobodyJoinsGivesUpAfterMaxWait() throws Exception {
        try (org.fedai.nostr.relay.EmbeddedRelay relay = org.fedai.nostr.relay.EmbeddedRelay.inMemory().start()) {
            CliRun run = CliRun.run("", "fl", "aggregate", "--relay", relay.url(), "--key", SOME_KEY, "--no-test",
                    "--enroll-seconds", "1", "--max-wait", "2");

            assertThat(run.out()).contains("aggregator: round 1: 0 of 4 participants enrolled; waiting");
            assertRuntime(run, "fedai fl aggregate: round 1: 0 participant(s) enrolled within 2 s, and a round"
                    + " needs 2 (--max-wait)");
        }
    }

    @Test
    void aRuleTheRegistryDoesNotKnowOrCannotRunIsOneUsageLine() {
        assertUsage(CliRun.run("", "fl", "aggregate", "--relay", DEAD_RELAY, "--key", SOME_KEY, "--aggregation", "mean"),
                "fedai fl aggregate: --aggregation: unknown aggregation 'mean', expected "
                        + org.fedai.fl.aggregation.RuleRegistry.NAMES);
        assertUsage(CliRun.run("", "fl", "aggregate", "--relay", DEAD_RELAY, "--key", SOME_KEY, "--privacy", "secagg",
                "--aggregation", "fltrust"), "fedai fl aggregate: --aggregation fltrust needs plain updates for the validator"
                + " to score; with --privacy secagg use multi_krum, median or trimmed_mean");
    }

    @Test
    void anUnknownOptionIsOneLineAndAPointerNotTheUsage() {
        CliRun run = CliRun.run("", "relay", "--prot", "7447");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("fedai relay: Unknown options: '--prot', '7447'")
                .endsWith("see 'fedai relay --help'" + System.lineSeparator()).doesNotContain("Usage:");
    }

    private static void assertUsage(CliRun run, String line) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines().toList()).containsExactly(line, "see '" + line.substring(0, line.indexOf(':'))
                + " --help'");
    }

    private static void assertRuntime(CliRun run, String line) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        List<String> lines = run.err().lines().toList();
        assertThat(lines).as("one line, no stack trace").hasSize(1);
        assertThat(lines.get(0)).startsWith(line);
    }
}
