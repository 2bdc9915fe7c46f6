package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.cli.MarketProcesses.WAIT;

import java.nio.file.Path;
import java.util.List;
import org.fedai.domain.JobId;
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
 * The crash suite's short form, as an operator runs the market ({@link MarketProcesses}): the client is killed
 * with SIGKILL at a point read from outside (the wallet's ledger), then {@code fedai client resume} runs on its
 * journal. Checked from outside: the exit code and output, and the wallet ledger. Invariants: "a client that pays
 * ends with the result or its money", "no invoice is paid twice", "money is conserved" (what the client lost, the
 * node and router gained). The long form, random kills of every role, is {@link CrashSuiteTest}.
 */
@ProcessTest
class PaymentCrashProcessesTest {

    @TempDir
    Path dir;
    private final KeyPair client = KeyPair.generate();

    @Test
    void aClientKilledOnceItsHoldPaymentIsLockedGetsItsResultOnResumeAndPaysOnce() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        try (MarketProcesses market = new MarketProcesses(dir, "hold")) {
            RoleProcess submit = market.submit(client, "hold", journal(), "a text to split, paid across a crash");
            // the kill point, read from the wallet: the client's payment is locked in the node's hold invoice
            LedgerInvoice held = market.awaitPaidByClient(i -> i.state() == InvoiceState.HELD
                    || i.state() == InvoiceState.SETTLED);
            submit.kill();

            RoleProcess resumed = market.resume(client, journal());
            assertThat(resumed.awaitExit(WAIT)).as(resumed.output()).isZero();
            assertThat(resumed.output()).contains("(resumed after a restart)").contains("result   ");
            assertPaidOnceAndConserved(market, held.paymentHash());
        }
    }

    @Test
    void aClientKilledWhileItsWalletSettlesTheNodesInvoiceProvesThePaymentOnResume() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        // the wallet answers pay_invoice 3 s after it settled: the client dies inside that window, before it could
        // journal the preimage (the window a real wallet's round trip opens)
        try (MarketProcesses market = new MarketProcesses(dir, "before", "--delay-ms", "3000")) {
            RoleProcess submit = market.submit(client, "before", journal(), "a text to split, paid across a crash");
            LedgerInvoice settled = market.awaitPaidByClient(i -> i.state() == InvoiceState.SETTLED
                    && !i.account().equals(market.routerAccount()));
            submit.kill();
            try (ClientJournal journal = ClientJournal.open(journal())) {
                JobId job = journal.openJobs().get(0).jobId();
                assertThat(journal.paymentsFor(job)).noneMatch(p -> p.bolt11().equals(settled.bolt11()));
            }

            RoleProcess resumed = market.resume(client, journal());
            assertThat(resumed.awaitExit(WAIT)).as(resumed.output()).isZero();
            assertThat(resumed.output()).contains("(resumed after a restart)").contains("result   ");
            assertPaidOnceAndConserved(market, settled.paymentHash());
        }
    }

    private Path journal() {
        return dir.resolve("client.db");
    }

    /** The node's invoice and the router's fee, each settled once; the client's loss is exactly their sum. */
    private static void assertPaidOnceAndConserved(MarketProcesses market, String nodeHash) {
        List<LedgerInvoice> paid = market.paidByClient();
        assertThat(paid).allMatch(i -> i.state() == InvoiceState.SETTLED);
        assertThat(paid).extracting(LedgerInvoice::paymentHash).doesNotHaveDuplicates().contains(nodeHash);
        assertThat(paid).hasSize(2);
        assertThat(paid).filteredOn(i -> i.account().equals(market.routerAccount())).hasSize(1);
        long spent = paid.stream().mapToLong(LedgerInvoice::paidMsat).sum();
        long funded = market.balance(market.clientAccount()) + spent;
        assertThat(market.balance(market.nodeAccount()) - funded).as("the node gained the price").isEqualTo(
                paid.stream().filter(i -> i.account().equals(market.nodeAccount())).mapToLong(LedgerInvoice::paidMsat)
                        .sum());
    }
}
