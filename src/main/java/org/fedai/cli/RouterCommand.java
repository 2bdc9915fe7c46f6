package org.fedai.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip19;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.roles.router.RouterConfig;
import org.fedai.roles.router.RouterRole;
import org.fedai.store.RouterLedger;
import org.fedai.store.SqlitePaymentHashRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedai router}: runs a market router in the foreground until SIGINT/SIGTERM. Prints its npub first,
 * then one summary line per interval and a last one when it stops.
 */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = {"Run a market router: announce terms, quote nodes for client specs, verify payment proofs,",
            "send work orders and countersign metering records. Runs until SIGINT/SIGTERM."})
public final class RouterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--relay", required = true, paramLabel = "URL", description = "Relay URL (repeatable).")
    List<String> relays;

    @Option(names = "--key", paramLabel = "HEX|NSEC", description = "The router's Nostr secret key.")
    String key;

    @Option(names = "--key-file", paramLabel = "FILE", description = "File holding the secret key (hex or nsec); created when missing.")
    Path keyFile;

    @Option(names = "--router-id", defaultValue = "router", description = "The announcement's d tag (default ${DEFAULT-VALUE}).")
    String routerId;

    @Option(names = "--db", defaultValue = "fedai-router.db", paramLabel = "FILE",
            description = "SQLite ledger: quotes, payments, work orders, metering, debts, node stats (default ${DEFAULT-VALUE}).")
    Path db;

    @Option(names = "--wallet-db", defaultValue = "fedai-wallet.db", paramLabel = "FILE",
            description = "Dev wallet network (SQLite) holding the router's fee account (default ${DEFAULT-VALUE}).")
    Path walletDb;

    @Option(names = "--fee-base-msat", defaultValue = "100", description = "Fee base in msat (default ${DEFAULT-VALUE}).")
    long feeBaseMsat;

    @Option(names = "--fee-ppm", defaultValue = "10000", description = "Fee rate in ppm of the node price (default ${DEFAULT-VALUE}).")
    long feePpm;

    @Option(names = "--accept-timeout", defaultValue = "15", paramLabel = "S",
            description = "Seconds a quoted node has to accept before the fallback is quoted (default ${DEFAULT-VALUE}).")
    double acceptTimeoutSeconds;

    @Option(names = "--max-job-msat", defaultValue = "1000000", description = "Largest node price + fee routed (default ${DEFAULT-VALUE}).")
    long maxJobMsat;

    @Option(names = "--pow-difficulty", defaultValue = "0",
            description = "NIP-13 leading zero bits asked of job requests from clients this router has never metered"
                    + " a job for; 0: none (default ${DEFAULT-VALUE}).")
    int powDifficulty;

    @Option(names = "--max-jobs-per-minute", defaultValue = "60", description = "Specs per client per minute; 0: no limit (default ${DEFAULT-VALUE}).")
    int maxJobsPerMinute;

    @Option(names = "--deny-client", paramLabel = "PUBKEY", description = "Refuse specs from this client (hex or npub, repeatable).")
    List<String> deniedClients = new ArrayList<>();

    @Option(names = "--summary-interval", defaultValue = "60", paramLabel = "S",
            description = "Seconds between summary lines (default ${DEFAULT-VALUE}).")
    double summarySeconds;

    private final ShutdownSignal shutdown = new ShutdownSignal();

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        KeyPair keys = keys(cli);
        RouterConfig config = config(cli, keys);
        PrintWriter out = cli.getOut();
        try (ShutdownSignal signal = shutdown.install("fedai-router-shutdown");
                RelayPool pool = new RelayPool(RelayPoolConfig.defaults().withAuthKeys(keys));
                RouterLedger ledger = RouterLedger.open(db);
                SqlitePaymentHashRegistry spent = SqlitePaymentHashRegistry.open(db);
                DevWalletNetwork wallets = DevWalletNetwork.open(walletDb)) {
            CliOptions.addRelays(cli, pool, relays);
            DevWallet wallet = wallets.wallet("router-" + keys.publicKey().substring(0, 16), lightningSecret(keys));
            try (RouterRole router = new RouterRole(config, pool, ledger, spent, wallet)) {
                router.start();
                out.println(keys.npub());
                out.flush();
                java.time.Duration interval = CliOptions.seconds(cli, summarySeconds);
                while (!signal.await(interval)) {
                    summary(out, router, ledger);
                }
                summary(out, router, ledger);
            }
        }
        return 0;
    }

    private static void summary(PrintWriter out, RouterRole router, RouterLedger ledger) {
        long refused = router.counters().snapshot().values().stream().mapToLong(Long::longValue).sum();
        out.println("routed_quotes=" + router.activity().get("4401:sent") + " " + ledger.totals().summary()
                + " refused=" + refused);
        out.flush();
    }

    private KeyPair keys(CommandLine cli) throws java.io.IOException {
        return KeyFiles.load(cli, key, keyFile, null);
    }

    private RouterConfig config(CommandLine cli, KeyPair keys) {
        Duration acceptTimeout = CliOptions.seconds(cli, acceptTimeoutSeconds);
        Set<String> denied = new HashSet<>();
        try {
            for (String client : deniedClients) {
                denied.add(client.startsWith("npub") ? Nip19.decodeNpub(client) : client);
            }
            return RouterConfig.defaults(keys).withFee(new RouterAnnouncement.Fee(feeBaseMsat, feePpm))
                    .withPolicy(new RouterAnnouncement.Policy(maxJobMsat, powDifficulty, maxJobsPerMinute))
                    .withAcceptTimeout(acceptTimeout).withDeniedClients(denied).withRelays(relays)
                    .withRouterId(routerId);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }

    /** The dev wallet's Lightning key, derived so that it stays the same for the same Nostr key. */
    private static byte[] lightningSecret(KeyPair keys) {
        return Sha256.hash(("fedai:dev-lightning:" + keys.secretKeyHex()).getBytes(StandardCharsets.UTF_8));
    }

    /** Stops a running {@link #call()} as SIGTERM would (for tests and embedding). */
    void stop() {
        shutdown.requestStop();
    }
}
