package org.fedai.cli;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.fedai.nostr.KeyPair;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.nwc.NwcUri;
import org.fedai.store.LedgerInvoice;
import org.fedai.testing.RoleProcess;
import org.fedai.testing.ThirdPartyRelay;

/**
 * The market as an operator runs it, for the crash tests: the third-party npm relay, {@code fedai wallet serve}
 * (NWC, one SQLite ledger; the router's fee account lives on the same file), a router and a node, each a
 * {@code fedai} process with its own key and database. Clients are started per job. Everything is read from
 * outside: process output and exit codes, and the wallet's ledger file.
 */
final class MarketProcesses implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final long PRICE = 1_000;

    final Path dir;
    final String url;
    final String nodeUri;
    final String clientUri;
    final String routerHex;
    private final ThirdPartyRelay relay;
    private final List<RoleProcess> processes = new ArrayList<>();
    private final String timings;
    private RoleProcess node;

    /** @param timings the node's {@code --timing}; {@code walletFaults} extra {@code wallet serve} options */
    MarketProcesses(Path dir, String timings, String... walletFaults) throws Exception {
        this.dir = dir;
        this.timings = timings;
        relay = ThirdPartyRelay.start();
        url = relay.url().toString();
        List<String> wallet = new ArrayList<>(List.of("wallet", "serve", "--relay", url, "--db",
                dir.resolve("wallet.db").toString(), "--accounts", "2", "--key-file", path("wallet.key")));
        wallet.addAll(List.of(walletFaults));
        RoleProcess service = start("wallet", wallet.toArray(String[]::new));
        await().atMost(WAIT).until(() -> service.matching("^nostr\\+walletconnect://").size() == 2);
        nodeUri = service.matching("^nostr\\+walletconnect://\\S+").get(0).group();
        clientUri = service.matching("^nostr\\+walletconnect://\\S+").get(1).group();

        KeyPair routerKeys = KeyPair.generate();
        routerHex = routerKeys.publicKey();
        Files.writeString(dir.resolve("router.key"), routerKeys.nsec());
        RoleProcess router = start("router", "router", "--relay", url, "--db", path("router.db"), "--wallet-db",
                path("wallet.db"), "--key-file", path("router.key"));
        router.awaitLine("npub1", WAIT);
        startNode();
    }

    /** (Re)starts the node on its key and journal, as an operator restarts a crashed one. */
    RoleProcess startNode() throws Exception {
        node = start("node", "node", "--relay", url, "--db", path("node.db"), "--nwc", nodeUri, "--key-file",
                path("node.key"), "--router", routerHex, "--timing", timings, "--price-msat-per-text",
                String.valueOf(PRICE), "--min-price-msat", String.valueOf(PRICE));
        node.awaitLine("^node\\s+npub1", WAIT);
        return node;
    }

    RoleProcess node() {
        return node;
    }

    /** {@code fedai client submit} for one text with {@code timing}, journaled in {@code journal}. */
    RoleProcess submit(KeyPair client, String timing, Path journal, String text) throws Exception {
        return start("submit", "client", "submit", "--relay", url, "--router", routerHex, "--key", client.nsec(),
                "--nwc", clientUri, "--journal", journal.toString(), "--timing", timing, "--task", "chunk", "--model",
                "cl100k_base", "--timeout", "60", text);
    }

    /** {@code fedai client resume} on the journal a killed client left. */
    RoleProcess resume(KeyPair client, Path journal) throws Exception {
        return start("resume", "client", "resume", "--relay", url, "--key", client.nsec(), "--nwc", clientUri,
                "--journal", journal.toString(), "--timeout", "60");
    }

    /** The client's NWC account in the wallet's ledger: its key is the connection's. */
    String clientAccount() {
        return NwcUri.parse(clientUri).clientKeys().publicKey();
    }

    String nodeAccount() {
        return NwcUri.parse(nodeUri).clientKeys().publicKey();
    }

    /** Every invoice the client's account paid (or locked), as the wallet's ledger has it. */
    List<LedgerInvoice> paidByClient() {
        try (DevWalletNetwork wallets = DevWalletNetwork.open(dir.resolve("wallet.db"))) {
            return wallets.ledger().invoicesTouching(clientAccount(), 10_000).stream()
                    .filter(i -> clientAccount().equals(i.payer())).toList();
        }
    }

    long balance(String account) {
        try (DevWalletNetwork wallets = DevWalletNetwork.open(dir.resolve("wallet.db"))) {
            return wallets.balance(account);
        }
    }

    /** Waits, polling the ledger file every 20 ms, for the client's first payment that {@code point} accepts. */
    LedgerInvoice awaitPaidByClient(Predicate<LedgerInvoice> point) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> paidByClient().stream().filter(point).findFirst(), Optional::isPresent).orElseThrow();
    }

    String path(String name) {
        return dir.resolve(name).toString();
    }

    RoleProcess start(String name, String... args) throws Exception {
        RoleProcess p = RoleProcess.start(name, dir, args);
        processes.add(p);
        return p;
    }

    @Override
    public void close() throws Exception {
        for (RoleProcess p : processes.reversed()) {
            p.close();
        }
        relay.close();
    }
}
