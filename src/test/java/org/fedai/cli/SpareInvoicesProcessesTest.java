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
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
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
 * relay; a {@code fedai client submit} per job). The node, run with {@code --spares-ahead}, hands the router spares
 * ahead at the price of one text as soon as it holds the router's announcement, so even a client's first job pays a spare on its quote; with the
 * router's newcomer allowance ({@code --newcomer-credit-msat}) that first job also runs on the node's payment, the
 * 5-hop path of pay-before-work. The node is
 * killed with SIGKILL once the router holds its spares, and restarted on its journal: it still takes the quotes
 * naming them and runs on their payment. Checked from outside: exit codes and output, the router's ledger file
 * (read only) and the wallet's. Invariants: "a client that pays ends with the result or its money", "no invoice is
 * paid twice", "money is conserved", and a spare pays for one job only.
 */
@ProcessTest
class SpareInvoicesProcessesTest {

    /** The node keeps spare invoices ahead of any job (off by default). */
    private static final List<String> AHEAD = List.of("--spares-ahead");

    @TempDir
    Path dir;
    private final KeyPair client = KeyPair.generate();

    @Test
    void theFirstJobPaysASpareMadeAheadAndANodeKilledAfterHandingThemOverStillTakesThem() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        // the router extends newcomers one fee of credit: the client's very first job runs on the node's payment too
        List<String> allowance = List.of("--newcomer-credit-msat", "1000");
        try (MarketProcesses market = new MarketProcesses(dir, 1, "before", allowance, AHEAD)) {
            // before any job: the node held the router's announcement and handed it two spares at one text's price
            List<String> handedOver = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> untakenSpares(market), h -> h.size() == 2);
            market.node().kill(); // SIGKILL: whatever the node did next, its journal is all it has
            market.startNode();

            // back to back: the proof follows the result (the node settles as it works), but the router counts a fee
            // in the client's credit once its own wallet reports it settled, before any proof (4401)
            submitAndAwaitResult(market, "before", "the first job: quoted with a spare made ahead");
            submitAndAwaitResult(market, "before", "the second job: quoted with the other");
            RoleProcess third = submitAndAwaitResult(market, "before", "the third job: quoted with one made since");
            awaitProvedPayments(market, 6, third); // every proof out before its client closed, the last one's too

            List<LedgerInvoice> paid = market.paidByClient();
            assertThat(paid).hasSize(6).allMatch(i -> i.state() == InvoiceState.SETTLED);
            assertThat(paid).extracting(LedgerInvoice::paymentHash).as("no invoice paid twice").doesNotHaveDuplicates();
            SpareBinding spare = new SpareBinding(market.routerHex);
            List<LedgerInvoice> toNode = paid.stream().filter(i -> i.account().equals(market.nodeAccount())).toList();
            assertThat(toNode).hasSize(3);
            assertThat(toNode).extracting(LedgerInvoice::paymentHash)
                    .as("the spares handed over before the kill paid the first two jobs").containsAll(handedOver);
            assertThat(toNode).as("every job paid a spare: none waited for an invoice made on its quote")
                    .allMatch(i -> spare.boundTo(Bolt11Codec.decode(i.bolt11())));
            assertThat(runOnPaymentQuotes(market)).as("every quote, the first included, ran the node on its payment")
                    .containsExactly(1, 1, 1);
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
     * A new client at a router that extends newcomers no fee credit (the default), so its first job is quoted without
     * run_on_payment: the quote still carries a spare the node made ahead. The client pays it and the router's fee at
     * once; the node's payment is only locked until the router orders the work, which it does once the fee is paid
     * (its wallet's report, or the client's proof of the fee alone), and the node settles as it starts. Checked from
     * outside: the exit code, the router's ledger file (the quote, both payments verified) and the wallet's.
     * Invariants: the router's fee is paid before the node runs; each invoice is paid once; the node is paid its price.
     */
    @Test
    void aNewClientsFirstJobPaysASpareWithoutCreditAndIsOrderedOnceTheFeeIsPaid() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        try (MarketProcesses market = new MarketProcesses(dir, 1, "before", List.of(), AHEAD)) {
            List<String> handedOver = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> untakenSpares(market), h -> h.size() == 2);
            RoleProcess submit = submitAndAwaitResult(market, "before", "a newcomer's first job");
            awaitProvedPayments(market, 2, submit); // the fee's, and the node's after its settlement
            assertThat(runOnPaymentQuotes(market)).as("no credit: not run on payment").containsExactly(0);
            List<LedgerInvoice> paid = market.paidByClient();
            assertThat(paid).extracting(LedgerInvoice::paymentHash).as("no invoice paid twice").doesNotHaveDuplicates();
            assertThat(paid.stream().filter(i -> i.account().equals(market.nodeAccount())))
                    .as("the node's spare made ahead, settled at its price").singleElement()
                    .matches(i -> handedOver.contains(i.paymentHash()) && i.state() == InvoiceState.SETTLED
                            && i.paidMsat() == MarketProcesses.PRICE);
            assertThat(paid.stream().filter(i -> i.account().equals(market.routerAccount())))
                    .as("the router's fee, once").singleElement().matches(i -> i.state() == InvoiceState.SETTLED);
        }
    }

    /**
     * A hold spare is a hold invoice whose preimage the node chose ahead: the node is killed with SIGKILL once the
     * router holds the two it made ahead, and the jobs the client then pays into them are still settled, with the
     * preimages the node kept with the spares before handing them over. Invariant: "a held payment can always be
     * settled" (else the client's money would be locked until the HTLC times out, and the node unpaid for work it
     * did).
     */
    @Test
    void aHoldSpareHandedOverBeforeAKillIsSettledWithThePreimageTheNodeKept() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        try (MarketProcesses market = new MarketProcesses(dir, 1, "hold", List.of(), AHEAD)) {
            // before any job: two hold spares ahead, each with a preimage the node drew and kept
            List<String> handedOver = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> untakenSpares(market), h -> h.size() == 2);
            market.node().kill();
            market.startNode();

            submitAndAwaitResult(market, "hold", "the first hold job: paid into a hold spare on its quote");
            submitAndAwaitResult(market, "hold", "the second hold job: paid into the other");

            List<LedgerInvoice> paid = market.paidByClient();
            assertThat(paid).extracting(LedgerInvoice::paymentHash).as("no invoice paid twice").doesNotHaveDuplicates();
            List<LedgerInvoice> toNode = paid.stream().filter(i -> i.account().equals(market.nodeAccount())).toList();
            assertThat(toNode).hasSize(2).allMatch(i -> i.state() == InvoiceState.SETTLED);
            assertThat(toNode).extracting(LedgerInvoice::paymentHash)
                    .as("the hold spares handed over before the kill paid both jobs, and were settled")
                    .containsExactlyInAnyOrderElementsOf(handedOver);
            long spent = paid.stream().filter(i -> i.state() == InvoiceState.SETTLED)
                    .mapToLong(LedgerInvoice::paidMsat).sum();
            long funded = market.balance(market.clientAccount()) + spent;
            assertThat(market.balance(market.nodeAccount()) - funded).as("the node gained its prices")
                    .isEqualTo(2 * MarketProcesses.PRICE);
        }
    }

    /**
     * The hazard a plain spare had: the node is killed with SIGKILL once the router holds its spares, and a new
     * client's job is quoted with one of them; the client pays into it on the quote, as a spare is paid, before any
     * node acknowledged the job. The spare is a hold invoice, so the payment is only locked: the job ends at its
     * deadline without a result, and once the node is back it finds the payment locked in a spare no job took, and
     * cancels it. Checked from outside, in the wallet's ledger file: the client's money is back, and the node got
     * nothing. Invariant: "a client that pays ends with the result or its money".
     */
    @Test
    void aPaymentIntoTheSpareOfAKilledNodeGoesBackToTheClient() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        List<String> allowance = List.of("--newcomer-credit-msat", "1000"); // run_on_payment, as a returning client's
        try (MarketProcesses market = new MarketProcesses(dir, 1, "before", allowance, AHEAD)) {
            List<String> handedOver = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> untakenSpares(market), h -> h.size() == 2);
            long funds = market.balance(market.clientAccount());
            long nodeFunds = market.balance(market.nodeAccount());
            market.node().kill();

            RoleProcess submit = market.submit(client, "before", dir.resolve("client.db"), "nobody runs this", 10);
            assertThat(submit.awaitExit(WAIT)).as(submit.output() + market.roleOutputs("")).isNotZero();
            LedgerInvoice locked = market.paidByClient().stream()
                    .filter(i -> i.account().equals(market.nodeAccount())).findFirst().orElseThrow();
            assertThat(handedOver).as("the quote carried a spare made before the kill").contains(locked.paymentHash());
            assertThat(locked.state()).as("locked, not the node's").isEqualTo(InvoiceState.HELD);

            // back once the router stopped waiting for it: the quote it finds on the relay is past its accept_by, and
            // the payment is locked in a spare no job took, which it gives back after half a minute
            long acceptBy = lastAcceptBy(market);
            await().atMost(WAIT).until(() -> System.currentTimeMillis() / 1000 > acceptBy);
            market.startNode();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> market.paidByClient().stream()
                    .filter(i -> i.paymentHash().equals(locked.paymentHash())).findFirst().orElseThrow().state()
                    == InvoiceState.CANCELLED);
            long fees = market.paidByClient().stream().filter(i -> i.state() == InvoiceState.SETTLED)
                    .mapToLong(LedgerInvoice::paidMsat).sum();
            assertThat(market.balance(market.clientAccount())).as("the client's money back, less the router's fee")
                    .isEqualTo(funds - fees);
            assertThat(market.balance(market.nodeAccount())).as("the node took nothing").isEqualTo(nodeFunds);
        }
    }

    /**
     * The failover the hold spare makes safe, across processes: two nodes, the first (cheaper, so ranked first) killed
     * with SIGKILL once the router holds its spares. A new client's job is quoted with one of them and pays into it on
     * the quote; the killed node never accepts, so the router never orders it, and it quotes the second node instead.
     * The client takes that quote while its first payment is only locked, pays the second node and gets its result.
     * Checked from outside: the exit code and output, and the wallet's ledger file: the first node's payment still only
     * locked (it goes back once that node is up again, or its hold times out: the test above), the second's settled,
     * the first node paid nothing. Invariants: "a client that pays ends with the result or its money", "no invoice is
     * paid twice", and a node runs only on the router's order.
     */
    @Test
    void aClientLockedInTheSpareOfAKilledNodeFailsOverToTheNextNodeAndGetsItsResult() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        // no newcomer credit: the quote carries the spare without run_on_payment, and the client pays the fee with it
        try (MarketProcesses market = new MarketProcesses(dir, 1, "before", List.of(), AHEAD)) {
            List<String> handedOver = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> untakenSpares(market), h -> h.size() == 2);
            long secondPrice = 2 * MarketProcesses.PRICE;
            market.startSecondNode(secondPrice);
            // the router holds the second node's manifest once it made a fee spare at that node's price too
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> routerFeeSpareAmounts(market) >= 2);
            long funds = market.balance(market.clientAccount());
            long firstNodeFunds = market.balance(market.nodeAccount());
            market.node().kill();

            RoleProcess submit = submitAndAwaitResult(market, "before", "the first node is gone");
            List<LedgerInvoice> paid = market.paidByClient();
            assertThat(paid).extracting(LedgerInvoice::paymentHash).as("no invoice paid twice").doesNotHaveDuplicates();
            LedgerInvoice locked = paid.stream().filter(i -> i.account().equals(market.nodeAccount())).findFirst()
                    .orElseThrow(() -> new AssertionError("the spare was not paid\n" + submit.output()));
            assertThat(handedOver).as("the quote carried the killed node's spare").contains(locked.paymentHash());
            assertThat(locked.state()).as("locked, never the killed node's").isEqualTo(InvoiceState.HELD);
            List<LedgerInvoice> toSecond = paid.stream()
                    .filter(i -> i.account().equals(market.secondNodeAccount())).toList();
            assertThat(toSecond).as("the second node paid once, and settled").singleElement()
                    .matches(i -> i.state() == InvoiceState.SETTLED && i.paidMsat() == secondPrice);
            assertThat(market.balance(market.nodeAccount())).as("the killed node took nothing")
                    .isEqualTo(firstNodeFunds);
            assertThat(paid.stream().filter(i -> i.account().equals(market.routerAccount())))
                    .as("the router's fee paid once, for the job, not once per node quoted").hasSize(1);
            long settled = paid.stream().filter(i -> i.state() == InvoiceState.SETTLED)
                    .mapToLong(LedgerInvoice::paidMsat).sum();
            assertThat(market.balance(market.clientAccount())).as("the client spent what settled, and what is locked")
                    .isEqualTo(funds - settled - locked.paidMsat());
        }
    }

    private RoleProcess submitAndAwaitResult(MarketProcesses market, String timing, String text) throws Exception {
        RoleProcess submit = market.submit(client, timing, dir.resolve("client.db"), text);
        assertThat(submit.awaitExit(WAIT)).as(submit.output() + market.roleOutputs("")).isZero();
        assertThat(submit.output()).contains("result   ");
        return submit;
    }

    /** Each quote's {@code run_on_payment}, in the order the router made them, from its ledger file (read only). */
    private static List<Integer> runOnPaymentQuotes(MarketProcesses market) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + market.path("router.db") + "?mode=ro");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT run_on_payment FROM quotes ORDER BY created_at_ms")) {
            List<Integer> flags = new ArrayList<>();
            while (rs.next()) {
                flags.add(rs.getInt(1));
            }
            return flags;
        }
    }

    /** Waits until the router's ledger file (read only) holds {@code n} verified payments: the client's proofs. */
    private static void awaitProvedPayments(MarketProcesses market, int n, RoleProcess submit) {
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + market.path("router.db")
                        + "?mode=ro"); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT count(*) FROM payments")) {
                    return rs.next() && rs.getInt(1) >= n;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(n + " verified payments never came\n" + submit.output()
                    + market.roleOutputs(""), e);
        }
    }

    /** How many fee amounts the router keeps spares at: one per node price, once it holds that node's manifest. */
    private static int routerFeeSpareAmounts(MarketProcesses market) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + market.path("router.db") + "?mode=ro");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(DISTINCT amount_msat) FROM spares WHERE owner = '"
                        + market.routerHex + "'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** The accept_by of the router's last quote, from its ledger file (read only). */
    private static long lastAcceptBy(MarketProcesses market) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + market.path("router.db") + "?mode=ro");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT max(accept_by) FROM quotes")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * The payment hashes of the node's spares the router holds and has not quoted, read from its ledger file without
     * writing to it.
     */
    private static List<String> untakenSpares(MarketProcesses market) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + market.path("router.db") + "?mode=ro");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT payment_hash FROM spares WHERE job_id IS NULL AND owner <> '"
                        + market.routerHex + "'")) {
            List<String> hashes = new ArrayList<>();
            while (rs.next()) {
                hashes.add(rs.getString(1));
            }
            return hashes;
        }
    }
}
