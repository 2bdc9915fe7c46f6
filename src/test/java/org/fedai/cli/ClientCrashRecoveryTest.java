package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.JobId;
import org.fedai.nostr.KeyPair;
import org.fedai.roles.router.RoutedJob;
import org.fedai.store.ClientJournal;
import org.fedai.store.LedgerInvoice;
import org.fedai.store.RouterJobState;
import org.fedai.testing.ProcessTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "No paid job lost": {@code fedai client submit} runs as its own OS process against a real relay, router,
 * node and dev wallet in this JVM, and is halted (no shutdown hooks, like kill -9) right after it paid and
 * journaled the preimages, before its proof went out. {@code fedai client resume} on the same journal then
 * proves the payment, and the job is ordered, run and delivered, with nothing paid twice.
 */
@ProcessTest
class ClientCrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void aClientKilledBetweenPayingAndProvingFinishesTheJobOnRestart() throws Exception {
        try (LiveMarket market = new LiveMarket(dir)) {
            KeyPair client = KeyPair.generate();
            String account = "client-" + client.publicKey().substring(0, 16);
            Path journal = dir.resolve("client.db");

            Run crashed = faulty(dir.resolve("crashed"), "client", "submit", "--relay", market.url(),
                    "--router", market.routerKeys.publicKey(), "--key", client.nsec(), "--wallet-db",
                    market.walletDb.toString(), "--deposit-msat", "1000000", "--journal", journal.toString(),
                    "--task", "chunk", "--model", LiveMarket.MODEL, "--timeout", "30", "--crash-after=paid",
                    "the first text to split", "and a second one");
            assertThat(crashed.exit()).as(crashed.err()).isEqualTo(137);
            assertThat(crashed.err()).contains("crash injected");
            assertThat(crashed.out()).doesNotContain("result");

            // paid once: the node's invoice and the router's fee, nothing else; the router has no proof
            List<LedgerInvoice> paid = market.paidBy(account);
            assertThat(paid).hasSize(2);
            assertThat(paid).extracting(LedgerInvoice::account).containsExactlyInAnyOrder("node", "router");
            long balanceAfterPaying = market.wallets.balance(account);
            String jobId;
            try (ClientJournal j = ClientJournal.open(journal)) {
                assertThat(j.openJobs()).singleElement().satisfies(o -> assertThat(o.state()).isEqualTo("PAID"));
                jobId = j.openJobs().get(0).jobId().hex();
                assertThat(j.paymentsFor(JobId.of(jobId))).hasSize(2);
            }
            // the node's accepted reached the router about when its invoice reached the client
            await().atMost(LiveMarket.WAIT).until(() -> routed(market, jobId).state() == RouterJobState.ACCEPTED);
            assertThat(routed(market, jobId).paid()).isFalse();
            assertThat(market.router.activity().get("4404:paid")).isZero();
            assertThat(market.runs.get()).isZero();

            Run resumed = fedai(dir.resolve("resumed"), "client", "resume", "--relay", market.url(), "--key",
                    client.nsec(), "--wallet-db", market.walletDb.toString(), "--journal", journal.toString(),
                    "--timeout", "30");
            assertThat(resumed.exit()).as(resumed.err()).isZero();
            assertThat(resumed.err()).contains("resuming job " + jobId + " (journaled PAID)");
            assertThat(resumed.out()).contains("job      " + jobId + " (resumed after a restart)")
                    .contains("result   ").contains("the first text to split");

            await().atMost(LiveMarket.WAIT).until(() -> routed(market, jobId).state() == RouterJobState.METERED);
            assertThat(routed(market, jobId).paid()).isTrue();
            assertThat(market.router.activity().get("4404:paid")).isEqualTo(1);
            assertThat(market.runs.get()).as("chunking runs once per text: the job ran once").isEqualTo(2);
            assertThat(market.paidBy(account)).hasSize(2); // no second payment
            assertThat(market.wallets.balance(account)).isEqualTo(balanceAfterPaying);
            try (ClientJournal j = ClientJournal.open(journal)) {
                assertThat(j.openJobs()).isEmpty();
            }
        }
    }

    @Test
    void aNewSubmitOnTheSameJournalAlsoFinishesTheCrashedJob() throws Exception {
        try (LiveMarket market = new LiveMarket(dir)) {
            KeyPair client = KeyPair.generate();
            String account = "client-" + client.publicKey().substring(0, 16);
            Path journal = dir.resolve("client.db");
            List<String> common = List.of("client", "submit", "--relay", market.url(), "--router",
                    market.routerKeys.publicKey(), "--key", client.nsec(), "--wallet-db", market.walletDb.toString(),
                    "--journal", journal.toString(), "--task", "chunk", "--model", LiveMarket.MODEL, "--timeout", "30");
            List<String> first = new ArrayList<>(common);
            first.addAll(List.of("--deposit-msat", "1000000", "--crash-after=paid", "paid before the crash"));
            assertThat(faulty(dir.resolve("crashed"), first.toArray(String[]::new)).exit()).isEqualTo(137);
            long balanceAfterCrash = market.wallets.balance(account);
            List<String> paidBeforeRestart = market.paidBy(account).stream().map(LedgerInvoice::paymentHash).toList();
            assertThat(paidBeforeRestart).hasSize(2);

            List<String> second = new ArrayList<>(common);
            second.add("asked after the restart");
            Run run = fedai(dir.resolve("second"), second.toArray(String[]::new));
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("(resumed after a restart)").contains("paid before the crash")
                    .contains("asked after the restart");
            // two jobs, each paid once (node and fee): only the new job's two invoices were paid in this run
            List<LedgerInvoice> paidNow = market.paidBy(account).stream()
                    .filter(i -> !paidBeforeRestart.contains(i.paymentHash())).toList();
            assertThat(paidNow).hasSize(2);
            assertThat(paidNow).filteredOn(i -> i.account().equals("node")).extracting(LedgerInvoice::paidMsat)
                    .containsExactly(LiveMarket.PRICE_PER_TEXT);
            assertThat(balanceAfterCrash - market.wallets.balance(account))
                    .isEqualTo(paidNow.stream().mapToLong(LedgerInvoice::paidMsat).sum());
            assertThat(market.router.activity().get("4404:paid")).isEqualTo(2);
        }
    }

    private static RoutedJob routed(LiveMarket market, String jobId) {
        return market.router.jobs().stream().filter(j -> j.jobId().hex().equals(jobId)).findFirst().orElseThrow();
    }

    record Run(int exit, String out, String err) {
    }

    /** {@code fedai ARGS} in a JVM of its own, on this test's class path; killed if it overruns. */
    private static Run fedai(Path logs, String... args) throws Exception {
        return launch(FedaiCommand.class, logs, args);
    }

    /** The same with the test-side fault options ({@link FaultyFedai}), such as {@code --crash-after paid}. */
    private static Run faulty(Path logs, String... args) throws Exception {
        return launch(FaultyFedai.class, logs, args);
    }

    private static Run launch(Class<?> main, Path logs, String... args) throws Exception {
        Files.createDirectories(logs);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        File out = logs.resolve("stdout").toFile();
        File err = logs.resolve("stderr").toFile();
        Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!process.waitFor(LiveMarket.WAIT.toSeconds() * 2, TimeUnit.SECONDS)) {
                throw new AssertionError("fedai " + String.join(" ", args) + " did not end; stderr:\n"
                        + Files.readString(err.toPath(), StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }
}
