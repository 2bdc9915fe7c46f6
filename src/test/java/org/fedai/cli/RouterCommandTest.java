package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.RouterAnnouncementCodec;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@RelayTest
class RouterCommandTest {

    @TempDir
    Path dir;

    @Test
    void routerIsASubcommandOfFedai() {
        assertThat(FedaiCommand.commandLine().getSubcommands()).containsKey("router");
    }

    @Test
    void printsItsNpubAnnouncesItsTermsAndSummarisesOnStop() throws Exception {
        KeyPair keys = KeyPair.generate();
        Path keyFile = dir.resolve("router.key");
        Files.writeString(keyFile, keys.nsec() + "\n");
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start(); RelayPool reader = new RelayPool()) {
            RouterCommand command = new RouterCommand();
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("--relay", relay.url(),
                    "--key-file", keyFile.toString(), "--db", dir.resolve("router.db").toString(), "--wallet-db",
                    dir.resolve("wallet.db").toString(), "--fee-base-msat", "50", "--fee-ppm", "2000",
                    "--accept-timeout", "5", "--bench-seconds", "0.5"));
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().startsWith(keys.npub()));

            reader.addRelay(relay.url());
            List<Event> seen = new CopyOnWriteArrayList<>();
            reader.subscribe(List.of(Filter.builder().kinds(31401).authors(keys.publicKey()).build()),
                    (e, r) -> seen.add(e));
            await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
            RouterAnnouncement a = RouterAnnouncementCodec.decode(seen.get(0), System.currentTimeMillis() / 1000)
                    .orElseThrow();
            assertThat(a.fee()).isEqualTo(new RouterAnnouncement.Fee(50, 2000));
            assertThat(a.relays()).containsExactly(relay.url());
            // admitted on its measured figures, and in probation under the documented terms
            assertThat(a.probation().state()).isEqualTo(RouterAnnouncement.ProbationState.PROBATION);
            assertThat(a.probation().requiredJobs()).isEqualTo(50);
            assertThat(a.probation().requiredStakeUnits()).isEqualTo(1000);
            assertThat(a.probation().sharePpm()).isEqualTo(250_000);
            assertThat(a.probation().benchmarksCommitment()).hasSize(64);
            assertThat(a.benchmarks()).containsKeys("verify_per_s", "sha256_mbps", "memory_gbps", "matmul_gflops");
            assertThat(a.policy().maxJobMsat()).isEqualTo(100_000);

            command.stop();
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(out.toString().lines().toList()).hasSize(2);
            assertThat(out.toString().lines().toList().get(1)).startsWith("routed_quotes=0 jobs=0 metered=0")
                    .endsWith("standing=probation jobs_to_graduate=0/50 stake_units=0/1000");
        }
    }

    @Test
    void theGuidesBondExampleIsCountedInFullAsStake() throws Exception {
        // docs/operator-guide.md, "Probation, and how to graduate": the same commands with the same arguments
        // (in process), against a running router; a bond of exactly 1,000 units would count 999 a second later
        KeyPair keys = KeyPair.generate();
        KeyPair bonder = KeyPair.generate();
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start()) {
            RouterCommand command = new RouterCommand();
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("--relay", relay.url(),
                    "--key", keys.nsec(), "--db", dir.resolve("router.db").toString(), "--wallet-db",
                    dir.resolve("wallet.db").toString(), "--bench-seconds", "0.5", "--summary-interval", "1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().startsWith(keys.npub()));

            CliRun convert = CliRun.run("", "keys", "convert", keys.npub());
            String routerHex = convert.out().lines().filter(l -> l.startsWith("pubkey:"))
                    .map(l -> l.split("\\s+")[1]).findFirst().orElseThrow();
            CliRun bond = CliRun.run("", "event", "sign", "--sec", bonder.nsec(), "--kind", "31402", "--tag",
                    "d,router-bond", "--tag", "p," + routerHex, "--tag", "t,fedai", "--tag", "v,1", "--tag",
                    "expiration," + (System.currentTimeMillis() / 1000 + 30 * 86400), "--content",
                    "{\"units\":1100,\"half_life_s\":2592000}");
            assertThat(bond.exitCode()).as(bond.err()).isZero();
            assertThat(CliRun.run(bond.out(), "publish", "--relay", relay.url()).exitCode()).isZero();

            await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().lines()
                    .anyMatch(l -> l.matches(".*stake_units=1(0[0-9][0-9]|100)/1000.*")));
            command.stop();
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void withStatsEverySummaryCountsRejectionsByKindAndReason() throws Exception {
        KeyPair keys = KeyPair.generate();
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start(); RelayPool writer = new RelayPool()) {
            RouterCommand command = new RouterCommand();
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("--relay", relay.url(),
                    "--key", keys.nsec(), "--db", dir.resolve("router.db").toString(), "--wallet-db",
                    dir.resolve("wallet.db").toString(), "--bench-seconds", "0.5", "--stats", "--summary-interval", "1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().startsWith(keys.npub()));
            // a job request addressed to the router whose content is not sealed to it: refused, counted, not fatal
            writer.addRelay(relay.url());
            Event bogus = org.fedai.nostr.EventSigner.sign(new org.fedai.nostr.UnsignedEvent(
                    System.currentTimeMillis() / 1000, 4400, List.of(List.of("p", keys.publicKey()),
                            List.of("t", "fedai"), List.of("v", "1")), "not sealed"), KeyPair.generate());
            writer.publish(bogus, Duration.ofSeconds(5)).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().lines()
                    .anyMatch(l -> l.startsWith("stats router ") && l.contains("refused.4400:")));
            command.stop();
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void refusesToLowerAMinimumBelowItsFloor() {
        CliRun run = CliRun.run("", "router", "--relay", "ws://127.0.0.1:1", "--min", "verify_per_s=100",
                "--db", dir.resolve("r.db").toString(), "--wallet-db", dir.resolve("w.db").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("verify_per_s may only be raised");
    }

    @Test
    void refusesToLoosenProbation() {
        CliRun run = CliRun.run("", "router", "--relay", "ws://127.0.0.1:1", "--probation-jobs", "5",
                "--db", dir.resolve("r.db").toString(), "--wallet-db", dir.resolve("w.db").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("probation may only be made stricter");
    }

    @Test
    void refusesToStartOnAMachineBelowARaisedMinimum() {
        CliRun run = CliRun.run("", "router", "--relay", "ws://127.0.0.1:1", "--min", "verify_per_s=1e12",
                "--bench-seconds", "0.05", "--db", dir.resolve("r.db").toString(), "--wallet-db",
                dir.resolve("w.db").toString());
        assertThat(run.exitCode()).isEqualTo(RouterCommand.ADMISSION_REFUSED);
        assertThat(run.err()).contains("router refused to start").contains("verify_per_s measured")
                .contains("minimum 1000000000000");
        assertThat(run.out()).isEmpty(); // no npub: it never announced anything
    }

    @Test
    void refusesAFeeRateOverOneMillionPpm() {
        CliRun run = CliRun.run("", "router", "--relay", "ws://127.0.0.1:1", "--fee-ppm", "2000000",
                "--db", dir.resolve("r.db").toString(), "--wallet-db", dir.resolve("w.db").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("ppm");
    }
}
