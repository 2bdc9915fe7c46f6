package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.cli.MarketProcesses.WAIT;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.fedai.nostr.KeyPair;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.SpareBinding;
import org.fedai.store.InvoiceState;
import org.fedai.store.LedgerInvoice;
import org.fedai.testing.ProcessTest;
import org.fedai.testing.RoleProcess;
import org.fedai.testing.ThirdPartyRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spare invoices (event-kinds/4402-invoice.md, "Spare invoices") as an operator runs the market ({@link MarketProcesses}:
 * {@code fedai} router, node and NWC wallet service, each its own process, key and database, on the third-party npm
 * relay; a {@code fedai client submit} per job). A client that comes back pays the node's spare on its quote. The
 * node is killed with SIGKILL once the router holds its spare, and restarted on its journal: it still takes the quote
 * naming that spare and runs on its payment. Checked from outside: exit codes and output, the router's ledger file
 * (read only) and the wallet's. Invariants: "a client that pays ends with the result or its money", "no invoice is
 * paid twice", "money is conserved", and a spare pays for one job only.
 */
@ProcessTest
class SpareInvoicesProcessesTest {

    @TempDir
    Path dir;
    private final KeyPair client = KeyPair.generate();

    @Test
    void aReturningClientPaysTheSpareOnItsQuoteAndANodeKilledAfterHandingItOverStillTakesIt() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        try (MarketProcesses market = new MarketProcesses(dir, "before")) {
            submitAndAwaitResult(market, "before", "the first job: no spare yet, the node's 4402 follows the quote");
            // the node made a spare after delivering and handed it over: the router's ledger holds it
            String handedOver = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> untakenSpare(market), h -> !h.isEmpty());
            market.node().kill(); // SIGKILL: whatever the node did next, its journal is all it has
            market.startNode();

            submitAndAwaitResult(market, "before", "the second job: quoted with the node's spare");
            submitAndAwaitResult(market, "before", "the third job: quoted with the spare made after the second");

            List<LedgerInvoice> paid = market.paidByClient();
            assertThat(paid).hasSize(6).allMatch(i -> i.state() == InvoiceState.SETTLED);
            assertThat(paid).extracting(LedgerInvoice::paymentHash).as("no invoice paid twice").doesNotHaveDuplicates();
            SpareBinding spare = new SpareBinding(market.routerHex);
            List<LedgerInvoice> toNode = paid.stream().filter(i -> i.account().equals(market.nodeAccount())).toList();
            assertThat(toNode).hasSize(3);
            assertThat(toNode).as("the spare handed over before the kill paid the second job")
                    .anySatisfy(i -> assertThat(i.paymentHash()).isEqualTo(handedOver));
            assertThat(toNode.stream().filter(i -> spare.boundTo(Bolt11Codec.decode(i.bolt11()))).count())
                    .as("the first job's invoice was the job's own; the returning client's were spares").isEqualTo(2);
            long spent = paid.stream().mapToLong(LedgerInvoice::paidMsat).sum();
            long nodeGot = toNode.stream().mapToLong(LedgerInvoice::paidMsat).sum();
            assertThat(nodeGot).isEqualTo(3 * MarketProcesses.PRICE);
            // every account was funded alike: what the client lost, the node and the router gained, no more
            long funded = market.balance(market.clientAccount()) + spent;
            assertThat(market.balance(market.nodeAccount()) - funded).as("the node gained its prices").isEqualTo(nodeGot);
            assertThat(market.balance(market.routerAccount()) - funded).as("the router gained its fees")
                    .isEqualTo(spent - nodeGot);
        }
    }

    /**
     * A hold spare is a hold invoice whose preimage the node chose ahead: the node is killed with SIGKILL once the
     * router holds one, and the job the returning client then pays into it is still settled, with the preimage the
     * node kept with the spare before handing it over. Invariant: "a held payment can always be settled" (else the
     * client's money would be locked until the HTLC times out, and the node unpaid for work it did).
     */
    @Test
    void aHoldSpareHandedOverBeforeAKillIsSettledWithThePreimageTheNodeKept() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        try (MarketProcesses market = new MarketProcesses(dir, "hold")) {
            submitAndAwaitResult(market, "hold", "the first hold job: its hold invoice made on the quote");
            String handedOver = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> untakenSpare(market), h -> !h.isEmpty());
            market.node().kill();
            market.startNode();

            submitAndAwaitResult(market, "hold", "the second hold job: paid into the node's spare on its quote");

            List<LedgerInvoice> paid = market.paidByClient();
            assertThat(paid).extracting(LedgerInvoice::paymentHash).as("no invoice paid twice").doesNotHaveDuplicates();
            List<LedgerInvoice> toNode = paid.stream().filter(i -> i.account().equals(market.nodeAccount())).toList();
            assertThat(toNode).hasSize(2).allMatch(i -> i.state() == InvoiceState.SETTLED);
            assertThat(toNode).as("the hold spare handed over before the kill paid the second job, and was settled")
                    .anySatisfy(i -> assertThat(i.paymentHash()).isEqualTo(handedOver));
            long spent = paid.stream().filter(i -> i.state() == InvoiceState.SETTLED)
                    .mapToLong(LedgerInvoice::paidMsat).sum();
            long funded = market.balance(market.clientAccount()) + spent;
            assertThat(market.balance(market.nodeAccount()) - funded).as("the node gained its prices")
                    .isEqualTo(2 * MarketProcesses.PRICE);
        }
    }

    private void submitAndAwaitResult(MarketProcesses market, String timing, String text) throws Exception {
        RoleProcess submit = market.submit(client, timing, dir.resolve("client.db"), text);
        assertThat(submit.awaitExit(WAIT)).as(submit.output() + market.roleOutputs("")).isZero();
        assertThat(submit.output()).contains("result   ");
    }

    /**
     * The payment hash of a node's spare the router holds and has not quoted ("" for none), read from its ledger file
     * without writing to it.
     */
    private static String untakenSpare(MarketProcesses market) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + market.path("router.db") + "?mode=ro");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT payment_hash FROM spares WHERE job_id IS NULL AND owner <> '"
                        + market.routerHex + "'")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }
}
