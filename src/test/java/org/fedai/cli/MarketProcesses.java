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
 * (NWC, one SQLite ledger, one account each for node, client and router), a router and a node, each a
 * {@code fedai} process with its own key and database. Clients are started per job. Everything is read from
 * outside: process output and exit codes, and the wallet's ledger file.
 */
final class MarketProcesses implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final long PRICE = 1_000;

    final Path dir;
    /** The first relay's URL; every role uses all of {@link #urls}. */
    final String url;
    final List<String> urls = new ArrayList<>();
    final String nodeUri;
    final String clientUri;
    final String routerUri;
    /** A second node's account, for the failover tests ({@link #startSecondNode}). */
    final String secondNodeUri;
    final String routerHex;
    private final List<ThirdPartyRelay> relays = new ArrayList<>();
    private final List<RoleProcess> processes = new ArrayList<>();
    private final String timings;
    private final String[] walletArgs;
    private final List<String> routerOptions;
    private final List<String> nodeOptions;
    private RoleProcess node;
    private RoleProcess wallet;
    private RoleProcess router;

    /** @param timings the node's {@code --timing}; {@code walletFaults} extra {@code wallet serve} options */
    MarketProcesses(Path dir, String timings, String... walletFaults) throws Exception {
        this(dir, 1, timings, walletFaults);
    }

    /** With {@code relayCount} relays, each on its own SQLite file so it can be stopped and started again. */
    MarketProcesses(Path dir, int relayCount, String timings, String... walletFaults) throws Exception {
        this(dir, relayCount, timings, List.of(), List.of(), walletFaults);
    }

    /** As above, {@code routerOptions} and {@code nodeOptions} added to every router and node this starts. */
    MarketProcesses(Path dir, int relayCount, String timings, List<String> routerOptions, List<String> nodeOptions,
            String... walletFaults) throws Exception {
        this.dir = dir;
        this.timings = timings;
        this.routerOptions = List.copyOf(routerOptions);
        this.nodeOptions = List.copyOf(nodeOptions);
        for (int i = 0; i < relayCount; i++) {
            ThirdPartyRelay r = ThirdPartyRelay.start(0, dir.resolve("relay-" + i + ".db"));
            relays.add(r);
            urls.add(r.url().toString());
        }
        url = urls.get(0);
        List<String> wallet = new ArrayList<>(List.of("wallet", "serve", "--db",
                dir.resolve("wallet.db").toString(), "--accounts", "4", "--key-file", path("wallet.key")));
        wallet.addAll(relayOptions());
        wallet.addAll(List.of("--log-level", "info"));
        wallet.addAll(List.of(walletFaults));
        walletArgs = wallet.toArray(String[]::new);
        RoleProcess service = startWallet();
        nodeUri = service.matching("^nostr\\+walletconnect://\\S+").get(0).group();
        clientUri = service.matching("^nostr\\+walletconnect://\\S+").get(1).group();
        routerUri = service.matching("^nostr\\+walletconnect://\\S+").get(2).group();
        secondNodeUri = service.matching("^nostr\\+walletconnect://\\S+").get(3).group();

        KeyPair routerKeys = KeyPair.generate();
        routerHex = routerKeys.publicKey();
        Files.writeString(dir.resolve("router.key"), routerKeys.nsec());
        startRouter();
        startNode();
    }

    /**
     * (Re)starts the router on its key and ledger, as an operator restarts a crashed one, in a JVM that compiles as
     * {@code ./fedai}'s does: its admission measures the optimising tier (CI refused routers started on the first
     * tier only, at sha256_mbps 92). Should a busy machine still make it fall short (exit 3), an operator starts it
     * again: so does this, up to three times.
     */
    RoleProcess startRouter() throws Exception {
        for (int attempt = 1; ; attempt++) {
            List<String> args = new ArrayList<>(List.of("router", "--log-level", "info", "--db", path("router.db"),
                    "--nwc", routerUri, "--key-file", path("router.key")));
            args.addAll(routerOptions);
            RoleProcess p = start("router", RoleProcess.Jvm.AS_DEPLOYED, with(relayOptions(), args.toArray(
                    String[]::new)));
            await().atMost(WAIT).until(() -> p.exitCode().isPresent() || !p.matching("npub1").isEmpty());
            if (p.exitCode().isEmpty()) {
                router = p;
                return p;
            }
            if (p.exitCode().get() != 3 || attempt == 3) {
                throw new AssertionError("the router did not start (exit " + p.exitCode().get() + "): " + p.output());
            }
        }
    }

    RoleProcess router() {
        return router;
    }

    /**
     * (Re)starts the wallet service on its key and ledger, as an operator restarts a crashed one: the connection
     * URIs derive from the key, so every role's URI still reaches it. Returns once it printed them again.
     */
    RoleProcess startWallet() throws Exception {
        RoleProcess service = start("wallet", walletArgs);
        await().atMost(WAIT).until(() -> service.matching("^nostr\\+walletconnect://").size() == 4);
        wallet = service;
        return service;
    }

    RoleProcess wallet() {
        return wallet;
    }

    /** The long-running roles: wallet service, router, node (each logging at info, so relay losses show). */
    List<RoleProcess> roles() {
        return List.of(wallet, router, node);
    }

    /** (Re)starts the node on its key and journal, as an operator restarts a crashed one. */
    RoleProcess startNode() throws Exception {
        node = startNode("node", nodeUri, PRICE, nodeOptions);
        return node;
    }

    /**
     * Starts a second node, its own process, key, journal and wallet account, at {@code price} a text and without
     * this market's node options: at a higher price than the first, the router ranks it second.
     */
    RoleProcess startSecondNode(long price) throws Exception {
        return startNode("second-node", secondNodeUri, price, List.of());
    }

    private RoleProcess startNode(String name, String nwc, long price, List<String> options) throws Exception {
        List<String> args = new ArrayList<>(List.of("node", "--log-level", System.getProperty("fedai.node.log", "info"),
                "--db", path(name + ".db"), "--nwc", nwc, "--key-file", path(name + ".key"), "--router", routerHex,
                "--timing", timings, "--price-msat-per-text", String.valueOf(price), "--min-price-msat",
                String.valueOf(price)));
        args.addAll(options);
        RoleProcess p = start(name, with(relayOptions(), args.toArray(String[]::new)));
        p.awaitLine("^node\\s+npub1", WAIT);
        return p;
    }

    /** What the long-running roles printed about {@code mention} (a job id prefix), for assertion messages. */
    String roleOutputs(String mention) {
        StringBuilder out = new StringBuilder();
        for (RoleProcess p : processes) {
            String text = p.output();
            if (text.startsWith("router>") || text.startsWith("node>") || text.startsWith("second-node>")
                    || text.startsWith("wallet>")) {
                text.lines().filter(l -> mention.isEmpty() || l.contains(mention) || l.contains("WARN")
                        || l.contains("ERROR") || l.contains("Exception")).forEach(l -> out.append(l).append('\n'));
            }
        }
        return out.length() > 20_000 ? out.substring(out.length() - 20_000) : out.toString();
    }

    RoleProcess node() {
        return node;
    }

    /** {@code fedai client submit} for one text with {@code timing}, journaled in {@code journal}. */
    RoleProcess submit(KeyPair client, String timing, Path journal, String text) throws Exception {
        return submit(client, timing, journal, text, 60);
    }

    /** As above, the job's deadline {@code timeoutSeconds} away. */
    RoleProcess submit(KeyPair client, String timing, Path journal, String text, int timeoutSeconds) throws Exception {
        return start("submit", with(relayOptions(), "client", "submit", "--router", routerHex, "--key",
                client.nsec(), "--nwc", clientUri, "--journal", journal.toString(), "--timing", timing, "--task",
                "chunk", "--model", "cl100k_base", "--timeout", String.valueOf(timeoutSeconds), text));
    }

    /** {@code fedai client resume} on the journal a killed client left. */
    RoleProcess resume(KeyPair client, Path journal) throws Exception {
        return start("resume", with(relayOptions(), "client", "resume", "--key", client.nsec(), "--nwc", clientUri,
                "--journal", journal.toString(), "--timeout", "60"));
    }

    /** The client's NWC account in the wallet's ledger: its key is the connection's. */
    String clientAccount() {
        return NwcUri.parse(clientUri).clientKeys().publicKey();
    }

    /** The router's fee account: its own NWC connection. */
    String routerAccount() {
        return NwcUri.parse(routerUri).clientKeys().publicKey();
    }

    String nodeAccount() {
        return NwcUri.parse(nodeUri).clientKeys().publicKey();
    }

    String secondNodeAccount() {
        return NwcUri.parse(secondNodeUri).clientKeys().publicKey();
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

    /** Stops relay {@code i} as a crash or an outage would; its events stay in its SQLite file. */
    void stopRelay(int i) {
        relays.get(i).close();
    }

    /** Starts relay {@code i} again on the same port and file. */
    void startRelay(int i) throws Exception {
        int port = java.net.URI.create(urls.get(i)).getPort();
        relays.set(i, ThirdPartyRelay.start(port, dir.resolve("relay-" + i + ".db")));
    }

    private List<String> relayOptions() {
        List<String> out = new ArrayList<>();
        urls.forEach(u -> out.addAll(List.of("--relay", u)));
        return out;
    }

    /** The command words, then the relay options: subcommands take their options after their name. */
    private static String[] with(List<String> relayOptions, String... words) {
        List<String> out = new ArrayList<>();
        int command = words[0].equals("client") ? 2 : 1; // "client submit", "router", "node"
        out.addAll(List.of(words).subList(0, command));
        out.addAll(relayOptions);
        out.addAll(List.of(words).subList(command, words.length));
        return out.toArray(String[]::new);
    }

    String path(String name) {
        return dir.resolve(name).toString();
    }

    RoleProcess start(String name, String... args) throws Exception {
        return start(name, RoleProcess.Jvm.QUICK_START, args);
    }

    RoleProcess start(String name, RoleProcess.Jvm jvm, String... args) throws Exception {
        RoleProcess p = RoleProcess.start(name, dir, jvm, FedaiCommand.class.getName(), args);
        processes.add(p);
        return p;
    }

    @Override
    public void close() throws Exception {
        for (RoleProcess p : processes.reversed()) {
            p.close();
        }
        relays.forEach(ThirdPartyRelay::close);
    }
}
