package org.fedai.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip19;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.roles.router.Probation;
import org.fedai.roles.router.ProbationTerms;
import org.fedai.roles.router.RouterAdmission;
import org.fedai.roles.router.RouterBenchmarks;
import org.fedai.roles.router.RouterConfig;
import org.fedai.roles.router.RouterMinimums;
import org.fedai.roles.router.RouterRole;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterProbationJournal;
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

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "File holding the secret key (hex or nsec); created (0600) when missing. Default: ~/.fedai/router.key")
    Path keyFile;

    @Option(names = "--router-id", defaultValue = "router", description = "The announcement's d tag (default ${DEFAULT-VALUE}).")
    String routerId;

    @Option(names = "--db", paramLabel = "FILE", description = {"SQLite ledger: quotes, payments, work orders, metering,"
            + " debts, node stats.", "Default: ~/.fedai/router.db"})
    Path db;

    @Option(names = "--wallet-db", paramLabel = "FILE",
            description = {"Dev wallet network (SQLite) holding the router's fee account (default ~/.fedai/wallet.db,",
                "the node's default too); not with --nwc or --lnd."})
    Path walletDb;

    /** The wallet the router's fee invoices come from: its own revenue, paid by clients directly. */
    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "0..1")
    WalletChoice walletChoice;

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

    @Option(names = "--newcomer-credit-msat", defaultValue = "0", paramLabel = "MSAT",
            description = {"Fees a client this router never metered a job for may owe it unpaid, so that its first jobs",
                "run on the node's payment (run_on_payment) as a returning client's do: 5 relay hops with spares, not 9",
                "to 12. The router risks this much per client key that never pays its fee (--pow-difficulty makes keys",
                "cost work); 0: none (default ${DEFAULT-VALUE})."})
    long newcomerCreditMsat;

    @Option(names = "--max-jobs-per-minute", defaultValue = "60", description = "Specs per client per minute; 0: no limit (default ${DEFAULT-VALUE}).")
    int maxJobsPerMinute;

    @Option(names = "--deny-client", paramLabel = "PUBKEY", description = "Refuse specs from this client (hex or npub, repeatable).")
    List<String> deniedClients = new ArrayList<>();

    @Option(names = "--min", paramLabel = "FIGURE=VALUE",
            description = "Raise a router minimum (repeatable): verify_per_s, sha256_mbps, memory_gbps, matmul_gflops,"
                    + " cores, memory_bytes, free_disk_bytes. A value below the documented floor is refused.")
    Map<String, Double> raisedMinimums = new LinkedHashMap<>();

    @Option(names = "--probation-jobs", paramLabel = "N",
            description = "Metered jobs needed to leave probation; may only be raised (default and floor 50).")
    long probationJobs = ProbationTerms.DEFAULT.requiredJobs();

    @Option(names = "--probation-stake", paramLabel = "UNITS",
            description = "31402 stake units bonded to the router needed to leave probation; may only be raised"
                    + " (default and floor 1000).")
    long probationStake = ProbationTerms.DEFAULT.requiredStakeUnits();

    @Option(names = "--probation-share-ppm", paramLabel = "PPM",
            description = "Share of specs answered in probation; may only be lowered (default and ceiling 250000).")
    long probationSharePpm = ProbationTerms.DEFAULT.sharePpm();

    @Option(names = "--probation-max-job-msat", paramLabel = "MSAT",
            description = "Largest spec max price answered in probation; may only be lowered (default and ceiling 100000).")
    long probationMaxJobMsat = ProbationTerms.DEFAULT.maxJob().value();

    @Option(names = "--probation-max-input-bytes", paramLabel = "BYTES",
            description = "Largest spec input answered in probation; may only be lowered (default and ceiling 65536).")
    long probationMaxInputBytes = ProbationTerms.DEFAULT.maxInputBytes();

    /** Seconds per admission benchmark; hidden, for tests (a shorter run is noisier, never more lenient). */
    @Option(names = "--bench-seconds", hidden = true, defaultValue = "1")
    double benchSeconds;

    @Option(names = "--nip90", description = {"Also serve NIP-90 clients: a gateway takes 5050/5700/5701 requests,",
            "routes them as fedai jobs and answers with 7000 feedback and 6xxx results (event-kinds/nip90.md)."})
    boolean nip90;

    @Option(names = "--nip90-db", paramLabel = "FILE",
            description = "The NIP-90 gateway's journal (default ~/.fedai/router-nip90.db).")
    Path nip90Db;

    @picocli.CommandLine.Mixin
    Nip90ModelOption nip90Models = new Nip90ModelOption();

    @picocli.CommandLine.Mixin
    RoleUpkeepOptions upkeep = new RoleUpkeepOptions();

    private final ShutdownSignal shutdown = new ShutdownSignal();

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        if (walletDb != null && WalletChoice.external(walletChoice)) {
            throw new CommandLine.ParameterException(cli, "--wallet-db is the dev wallet's ledger: not with --nwc or --lnd");
        }
        walletChoice = WalletChoice.withEnvironment(walletChoice, walletDb);
        db = FedaiHome.orHome(db, "router.db");
        KeyPair keys = keys(cli);
        RouterConfig config = config(cli, keys);
        RouterMinimums minimums;
        ProbationTerms terms;
        try {
            minimums = RouterMinimums.FLOOR.raise(raisedMinimums);
            terms = new ProbationTerms(probationJobs, probationStake, probationSharePpm, Msat.of(probationMaxJobMsat),
                    probationMaxInputBytes).noLooserThan(ProbationTerms.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        PrintWriter err = cli.getErr();
        try (ShutdownSignal signal = shutdown.install("fedai-router-shutdown");
                RouterLedger ledger = RouterLedger.open(db);
                RouterProbationJournal probationJournal = RouterProbationJournal.open(db);
                SqlitePaymentHashRegistry spent = SqlitePaymentHashRegistry.open(db)) {
            err.println("router admission: measuring this machine against the router minimums...");
            err.flush();
            Path ledgerDir = db.toAbsolutePath().getParent();
            Duration budget = CliOptions.seconds(cli, benchSeconds);
            RouterBenchmarks measured = RouterBenchmarks.measureAgainst(minimums, ADMISSION_RUNS,
                    () -> RouterBenchmarks.measure(ledgerDir, budget), line -> {
                        err.println(line);
                        err.flush();
                    });
            RouterAdmission.Admitted admitted;
            switch (RouterAdmission.admit(measured, minimums, probationJournal, config.clock())) {
                case RouterAdmission.Refused refused -> {
                    err.println("router refused to start: " + refused.message());
                    err.flush();
                    return ADMISSION_REFUSED;
                }
                case RouterAdmission.Admitted a -> admitted = a;
            }
            err.println("router admitted: " + measured.announced() + "; commitment " + admitted.commitment());
            err.flush();
            Probation probation = new Probation(terms, PublicKey.of(keys.publicKey()), measured, admitted.commitment(),
                    probationJournal, () -> ledger.totals().metered(), config.clock());
            return run(cli, keys, config, signal, ledger, spent, probation);
        }
    }

    /** Benchmark runs at most before a shortfall refuses the router (the best of each figure counts). */
    private static final int ADMISSION_RUNS = 3;

    /** Exit code when the machine misses a router minimum. */
    static final int ADMISSION_REFUSED = 3;

    private Integer run(CommandLine cli, KeyPair keys, RouterConfig config, ShutdownSignal signal, RouterLedger ledger,
            SqlitePaymentHashRegistry spent, Probation probation) throws Exception {
        PrintWriter out = cli.getOut();
        try (RelayPool pool = new RelayPool(RelayPoolConfig.defaults().withAuthKeys(keys));
                WalletChoice.Opened wallet = WalletChoice.open(cli, walletChoice, () -> devWallet(keys))) {
            CliOptions.addRelays(cli, pool, relays);
            try (RouterRole router = new RouterRole(config, pool, ledger, spent, wallet.backend(), probation);
                    Nip90Service gateway = nip90 ? new Nip90Service(keys, router, pool,
                            FedaiHome.orHome(nip90Db, "router-nip90.db"), nip90Models.models)
                            : null) {
                router.retain(upkeep.retention(cli)).start();
                if (gateway != null) {
                    gateway.start();
                    out.println("nip90 gateway " + gateway.npub());
                }
                out.println(keys.npub());
                cli.getErr().println("router fees are invoiced by " + wallet.description());
                out.flush();
                java.time.Duration interval = upkeep.summaryInterval(cli);
                while (!signal.await(interval)) {
                    summary(out, router, ledger);
                }
                summary(out, router, ledger);
            }
        }
        return 0;
    }

    private void summary(PrintWriter out, RouterRole router, RouterLedger ledger) {
        long refused = router.counters().snapshot().values().stream().mapToLong(Long::longValue).sum();
        String standing = router.probation().map(p -> {
            RouterAnnouncement.Probation a = p.announced();
            return " standing=" + a.state().code() + " jobs_to_graduate=" + a.completedJobs() + "/" + a.requiredJobs()
                    + " stake_units=" + a.stakeUnits() + "/" + a.requiredStakeUnits();
        }).orElse("");
        out.println("routed_quotes=" + router.activity().get("4401:sent") + " " + ledger.totals().summary()
                + " refused=" + refused + standing);
        if (upkeep.stats) {
            out.println(StatsLine.of("router", counts(router)));
        }
        out.flush();
    }

    /** Refusals (prefixed {@code refused.}) and activity in one map, for {@code --stats}. */
    static Map<String, Long> counts(RouterRole router) {
        Map<String, Long> all = new java.util.TreeMap<>(router.activity().snapshot());
        router.counters().snapshot().forEach((k, v) -> all.put("refused." + k, v));
        return all;
    }

    private KeyPair keys(CommandLine cli) throws java.io.IOException {
        return KeyFiles.load(cli, key, keyFile, key == null && keyFile == null ? FedaiHome.file("router.key") : null);
    }

    private RouterConfig config(CommandLine cli, KeyPair keys) {
        Duration acceptTimeout = CliOptions.seconds(cli, acceptTimeoutSeconds);
        if (newcomerCreditMsat < 0) {
            throw new CommandLine.ParameterException(cli, "--newcomer-credit-msat must not be negative, got "
                    + newcomerCreditMsat);
        }
        Set<PublicKey> denied = new HashSet<>();
        try {
            for (String client : deniedClients) {
                denied.add(PublicKey.of(client.startsWith("npub") ? Nip19.decodeNpub(client) : client));
            }
            return RouterConfig.defaults(keys).withFee(new RouterAnnouncement.Fee(feeBaseMsat, feePpm))
                    .withPolicy(new RouterAnnouncement.Policy(maxJobMsat, powDifficulty, maxJobsPerMinute))
                    .withAcceptTimeout(acceptTimeout).withDeniedClients(denied).withRelays(relays)
                    .withRouterId(routerId).withNewcomerFeeCredit(Msat.of(newcomerCreditMsat));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }

    /** The dev wallet account {@code router-<key prefix>} on {@code --wallet-db} (default ~/.fedai/wallet.db). */
    private WalletChoice.Opened devWallet(KeyPair keys) {
        DevWalletNetwork wallets = DevWalletNetwork.open(FedaiHome.orHome(walletDb, "wallet.db"));
        DevWallet wallet = wallets.wallet("router-" + keys.publicKey().substring(0, 16), lightningSecret(keys));
        return new WalletChoice.Opened(wallet, "dev wallet account " + wallet.account(), List.of(wallets));
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
