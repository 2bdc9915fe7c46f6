package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.fedai.nostr.KeyPair;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.nwc.NwcUri;
import org.fedai.store.ClientJournal;
import org.fedai.store.InvoiceState;
import org.fedai.store.LedgerInvoice;
import org.fedai.testing.RoleProcess;
import org.fedai.testing.ThirdPartyRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash suite's short form, as an operator runs the market: every role a separate {@code fedai} process with
 * its own key and database, meeting only on the third-party relay, paying over NWC through {@code fedai wallet
 * serve} (the router's fee account on the same dev ledger file). The client is killed with SIGKILL at a point read
 * from outside (the wallet's ledger), then {@code fedai client resume} runs on its journal. Checked from outside:
 * the exit code and output, and the wallet ledger. Invariants: "a client that pays ends with the result or its
 * money", "no invoice is paid twice", "money is conserved" (what the client lost, the node and router gained).
 */
class PaymentCrashProcessesTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long PRICE = 1_000;

    @TempDir
    Path dir;
    private final List<RoleProcess> processes = new ArrayList<>();
    private ThirdPartyRelay relay;
    private String url;
    private String nodeUri;
    private String clientUri;
    private String routerHex;
    private final KeyPair client = KeyPair.generate();

    @AfterEach
    void stop() throws Exception {
        for (RoleProcess p : processes.reversed()) {
            p.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aClientKilledOnceItsHoldPaymentIsLockedGetsItsResultOnResumeAndPaysOnce() throws Exception {
        market("hold");
        RoleProcess submit = submit("hold");
        // the kill point, read from the wallet: the client's payment is locked in the node's hold invoice
        LedgerInvoice held = awaitPaidByClient(i -> i.state() == InvoiceState.HELD || i.state() == InvoiceState.SETTLED);
        submit.kill();

        RoleProcess resumed = fedai("resume", "client", "resume", "--relay", url, "--key", client.nsec(), "--nwc",
                clientUri, "--journal", dir.resolve("client.db").toString(), "--timeout", "60");
        assertThat(resumed.awaitExit(WAIT)).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("(resumed after a restart)").contains("result   ");
        assertPaidOnceAndConserved(held.paymentHash());
    }

    @Test
    void aClientKilledWhileItsWalletSettlesTheNodesInvoiceProvesThePaymentOnResume() throws Exception {
        // the wallet answers pay_invoice 3 s after it settled: the client dies inside that window, before it could
        // journal the preimage (the window a real wallet's round trip opens)
        market("before", "--delay-ms", "3000");
        RoleProcess submit = submit("before");
        LedgerInvoice settled = awaitPaidByClient(i -> i.state() == InvoiceState.SETTLED && !i.account().startsWith(
                "router-"));
        submit.kill();
        try (ClientJournal journal = ClientJournal.open(dir.resolve("client.db"))) {
            String job = journal.openJobs().get(0).jobId();
            assertThat(journal.paymentsFor(job)).noneMatch(p -> p.bolt11().equals(settled.bolt11()));
        }

        RoleProcess resumed = fedai("resume", "client", "resume", "--relay", url, "--key", client.nsec(), "--nwc",
                clientUri, "--journal", dir.resolve("client.db").toString(), "--timeout", "60");
        assertThat(resumed.awaitExit(WAIT)).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("(resumed after a restart)").contains("result   ");
        assertPaidOnceAndConserved(settled.paymentHash());
    }

    /** The relay, the NWC wallet service, a router and a node offering {@code timing}, each its own process. */
    private void market(String timing, String... walletFaults) throws Exception {
        ThirdPartyRelay.assumeAvailable();
        relay = ThirdPartyRelay.start();
        url = relay.url().toString();
        List<String> wallet = new ArrayList<>(List.of("wallet", "serve", "--relay", url, "--db",
                dir.resolve("wallet.db").toString(), "--accounts", "2", "--key-file", key("wallet.key")));
        wallet.addAll(List.of(walletFaults));
        RoleProcess service = fedai("wallet", wallet.toArray(String[]::new));
        await().atMost(WAIT).until(() -> service.matching("^nostr\\+walletconnect://").size() == 2);
        nodeUri = service.matching("^nostr\\+walletconnect://\\S+").get(0).group();
        clientUri = service.matching("^nostr\\+walletconnect://\\S+").get(1).group();

        KeyPair routerKeys = KeyPair.generate();
        routerHex = routerKeys.publicKey();
        Files.writeString(dir.resolve("router.key"), routerKeys.nsec());
        RoleProcess router = fedai("router", "router", "--relay", url, "--db", dir.resolve("router.db").toString(),
                "--wallet-db", dir.resolve("wallet.db").toString(), "--key-file", dir.resolve("router.key").toString());
        router.awaitLine("npub1", WAIT);
        RoleProcess node = fedai("node", "node", "--relay", url, "--db", dir.resolve("node.db").toString(), "--nwc",
                nodeUri, "--key-file", key("node.key"), "--router", routerHex, "--timing", timing,
                "--price-msat-per-text", String.valueOf(PRICE), "--min-price-msat", String.valueOf(PRICE));
        node.awaitLine("^node\\s+npub1", WAIT);
    }

    private RoleProcess submit(String timing) throws Exception {
        return fedai("submit", "client", "submit", "--relay", url, "--router", routerHex, "--key", client.nsec(),
                "--nwc", clientUri, "--journal", dir.resolve("client.db").toString(), "--timing", timing, "--task",
                "chunk", "--model", "cl100k_base", "--timeout", "60", "a text to split, paid across a crash");
    }

    /** The client's NWC account in the wallet's ledger: its key is the connection's. */
    private String clientAccount() {
        return NwcUri.parse(clientUri).clientKeys().publicKey();
    }

    private LedgerInvoice awaitPaidByClient(Predicate<LedgerInvoice> point) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> paidByClient().stream()
                .filter(point).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    private List<LedgerInvoice> paidByClient() {
        try (DevWalletNetwork wallets = DevWalletNetwork.open(dir.resolve("wallet.db"))) {
            return wallets.ledger().invoicesTouching(clientAccount(), 100).stream()
                    .filter(i -> clientAccount().equals(i.payer())).toList();
        }
    }

    /** The node's invoice and the router's fee, each settled once; the client's loss is exactly their sum. */
    private void assertPaidOnceAndConserved(String nodeHash) {
        List<LedgerInvoice> paid = paidByClient();
        assertThat(paid).allMatch(i -> i.state() == InvoiceState.SETTLED);
        assertThat(paid).extracting(LedgerInvoice::paymentHash).doesNotHaveDuplicates().contains(nodeHash);
        assertThat(paid).hasSize(2);
        assertThat(paid).filteredOn(i -> i.account().startsWith("router-")).hasSize(1);
        long spent = paid.stream().mapToLong(LedgerInvoice::paidMsat).sum();
        try (DevWalletNetwork wallets = DevWalletNetwork.open(dir.resolve("wallet.db"))) {
            long funded = wallets.balance(clientAccount()) + spent;
            String nodeAccount = NwcUri.parse(nodeUri).clientKeys().publicKey();
            assertThat(wallets.balance(nodeAccount) - funded).as("the node gained the price").isEqualTo(
                    paid.stream().filter(i -> i.account().equals(nodeAccount)).mapToLong(LedgerInvoice::paidMsat).sum());
        }
    }

    private String key(String name) {
        return dir.resolve(name).toString();
    }

    private RoleProcess fedai(String name, String... args) throws Exception {
        RoleProcess p = RoleProcess.start(name, dir, args);
        processes.add(p);
        return p;
    }
}
