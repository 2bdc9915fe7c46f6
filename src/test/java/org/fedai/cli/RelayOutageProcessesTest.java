package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.cli.MarketProcesses.WAIT;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedai.nostr.KeyPair;
import org.fedai.store.ClientJournal;
import org.fedai.store.InvoiceState;
import org.fedai.store.LedgerInvoice;
import org.fedai.testing.ProcessTest;
import org.fedai.testing.RoleProcess;
import org.fedai.testing.ThirdPartyRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outages, as the market runs: every role a process on three third-party relays (NWC wallet included). One relay
 * killed mid-job, and all three down mid-payment until every role has lost every relay: the job completes, paid
 * once. Checked from outside: the roles' logs, the client's exit code and output, and the wallet's ledger.
 */
@ProcessTest
class RelayOutageProcessesTest {

    @TempDir
    Path dir;

    @Test
    void oneOfThreeRelaysKilledMidJobCostsNothing() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        try (MarketProcesses market = new MarketProcesses(dir, 3, "before")) {
            RoleProcess submit = market.submit(KeyPair.generate(), "before", journal(), "one relay of three dies");
            awaitJournal(submit, j -> !j.resumable().isEmpty() && !j.resumable().get(0).quoteEventJson().isEmpty());
            market.stopRelay(1);

            assertThat(submit.awaitExit(WAIT)).as(submit.output()).isZero();
            assertThat(submit.output()).contains("result   ");
            assertPaidOnce(market);
        }
    }

    @Test
    void allRelaysDownMidPaymentTheJobCompletes() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        try (MarketProcesses market = new MarketProcesses(dir, 3, "before")) {
            RoleProcess submit = market.submit(KeyPair.generate(), "before", journal(), "every relay goes away");
            // the kill point: the client has handed its first invoice to the wallet
            awaitJournal(submit, j -> !j.resumable().isEmpty()
                    && !j.unsettledAttempts(j.resumable().get(0).jobId()).isEmpty());
            for (int i = 0; i < 3; i++) {
                market.stopRelay(i);
            }
            // the relays come back once the outage has hit everyone: wallet, router and node each lost all three
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> market.roles().stream()
                    .allMatch(role -> market.urls.stream().allMatch(url -> role.output().contains("lost " + url))));
            for (int i = 0; i < 3; i++) {
                market.startRelay(i);
            }

            assertThat(submit.awaitExit(WAIT)).as(submit.output()).isZero();
            assertThat(submit.output()).contains("result   ");
            assertPaidOnce(market);
        }
    }

    private Path journal() {
        return dir.resolve("client.db");
    }

    private void awaitJournal(RoleProcess client, java.util.function.Predicate<ClientJournal> point) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (client.exitCode().isPresent()) {
                throw new AssertionError("the client ended before the outage: " + client.output());
            }
            if (!journal().toFile().exists()) {
                return false;
            }
            try (ClientJournal j = ClientJournal.open(journal())) {
                return point.test(j);
            }
        });
    }

    private static void assertPaidOnce(MarketProcesses market) {
        List<LedgerInvoice> paid = market.paidByClient();
        assertThat(paid).extracting(LedgerInvoice::paymentHash).doesNotHaveDuplicates();
        assertThat(paid).hasSize(2).allMatch(i -> i.state() == InvoiceState.SETTLED);
    }
}
