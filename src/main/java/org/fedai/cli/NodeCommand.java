package org.fedai.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip19;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.roles.node.AnnouncedRouters;
import org.fedai.roles.node.NodeConfig;
import org.fedai.roles.node.NodeRole;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.runner.ModelServerConfig;
import org.fedai.runner.OllamaRunner;
import org.fedai.runner.OpenAiRunner;
import org.fedai.runner.Runner;
import org.fedai.runner.profile.CapabilityProfile;
import org.fedai.runner.profile.CapabilityProfiler;
import org.fedai.runner.profile.HardwareProbe;
import org.fedai.store.NodeJobJournal;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code fedai node}: a market node in the foreground until SIGINT or SIGTERM. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Run a market node: publish a capability manifest and heartbeats, take routers' quotes,",
                "invoice clients, run paid jobs and deliver results (event-kinds/market-flow.md).",
                "Runs until SIGINT or SIGTERM; the job journal lets a restarted node resume."})
public final class NodeCommand implements Callable<Integer> {

    enum RunnerKind { embedded, openai, ollama }

    @Spec
    CommandSpec spec;

    @Option(names = "--relay", paramLabel = "URL", required = true, description = "Relay to use (repeatable).")
    List<String> relays;

    static final class KeySource {
        @Option(names = "--key", paramLabel = "nsec|hex", description = "The node's Nostr secret key.")
        String key;

        @Option(names = "--key-file", paramLabel = "FILE",
                description = "File holding the node's secret key; created (mode 0600) if absent. "
                        + "Default: ~/.fedai/node.key")
        Path keyFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    KeySource keySource = new KeySource();

    @Option(names = "--db", paramLabel = "FILE", description = "Job journal (SQLite). Default: ~/.fedai/node.db")
    Path db;

    @Option(names = "--wallet-db", paramLabel = "FILE",
            description = "Dev wallet ledger (SQLite), shared with the client and router in dev. "
                    + "Default: ~/.fedai/wallet.db")
    Path walletDb;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    WalletChoice walletChoice;

    @Option(names = "--price-msat-per-text", paramLabel = "N", defaultValue = "1000",
            description = "Price per input text in millisatoshis (default ${DEFAULT-VALUE}).")
    long pricePerText;

    @Option(names = "--min-price-msat", paramLabel = "N", defaultValue = "1000",
            description = "Least the node takes for any job (default ${DEFAULT-VALUE}).")
    long minPrice;

    @Option(names = "--node-id", paramLabel = "ID", description = "Manifest d tag, [a-z0-9._-]{1,64}. "
            + "Default: node-<first 8 hex of the pubkey>")
    String nodeId;

    @Option(names = "--runner", defaultValue = "embedded",
            description = "embedded (MiniLM embeddings, chunking), openai or ollama (default ${DEFAULT-VALUE}).")
    RunnerKind runnerKind;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Model server for openai (e.g. http://127.0.0.1:8080/v1) or ollama (http://127.0.0.1:11434).")
    String baseUrl;

    @Option(names = "--model", paramLabel = "ID", description = "Generation model the server offers (repeatable).")
    List<String> chatModels = List.of();

    @Option(names = "--embedding-model", paramLabel = "ID",
            description = "Embedding model the server offers (repeatable).")
    List<String> embeddingModels = List.of();

    @Option(names = "--timing", split = ",", paramLabel = "WHEN", converter = TimingConverter.class,
            description = "Payment timings offered (manifest payment.timing), comma-separated from before, after, hold,"
                    + " atomic, partial. Default: all. See docs/operator-guide.md.")
    java.util.Set<org.fedai.domain.PaymentTiming> timings;

    @Option(names = "--spares-ahead", description = {"Keep two spare invoices of each kind at one text's price for",
            "every router served, from its announcement, so a first job of one text pays on its quote (5 relay hops,",
            "not 8). A client then pays before this node acknowledges its job: run a node that stays up. Off by",
            "default."})
    boolean sparesAhead;

    @Option(names = "--heartbeat-seconds", defaultValue = "30", description = "Heartbeat interval, 5..600 s.")
    int heartbeatSeconds;

    @Option(names = "--bench", description = "Benchmark this machine (a few seconds) and declare the figures.")
    boolean bench;

    @Option(names = "--router", paramLabel = "NPUB|HEX",
            description = "Take quotes only from these routers (repeatable); default: every router with a live 31401"
                    + " announcement.")
    List<String> routers = List.of();

    @Option(names = "--graduated-routers-only",
            description = "Take quotes only from routers whose announcement shows them out of probation.")
    boolean graduatedOnly;

    @Option(names = "--nip90", description = {"Also serve NIP-90 clients without a router of the operator's: a router",
            "of this node's own (quoting only it) and a gateway take 5050/5700/5701 requests (event-kinds/nip90.md)."})
    boolean nip90;

    @Option(names = "--nip90-db", paramLabel = "FILE",
            description = "The own router's ledger and the gateway's journals (SQLite). Default: ~/.fedai/node-nip90.db")
    Path nip90Db;

    @picocli.CommandLine.Mixin
    Nip90ModelOption nip90Models = new Nip90ModelOption();

    @picocli.CommandLine.Mixin
    RoleUpkeepOptions upkeep = new RoleUpkeepOptions();

    /** For tests: stop after this many seconds instead of waiting for a signal. */
    @Option(names = "--run-seconds", hidden = true)
    Double runSeconds;

    private final ShutdownSignal shutdown = new ShutdownSignal();

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        PrintWriter out = cli.getOut();
        KeyPair keys = keys(cli);
        NodeConfig configured;
        try {
            configured = NodeConfig.defaults(keys, nodeId != null ? nodeId : "node-" + keys.publicKey().substring(0, 8))
                    .withPricing(Msat.of(pricePerText), Msat.of(minPrice))
                    .withHeartbeatInterval(Duration.ofSeconds(heartbeatSeconds))
                    .withRelays(relays);
            if (timings != null && !timings.isEmpty()) {
                configured = configured.withTimings(timings);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        NodeConfig config = configured;
        CapabilityProfile profile = new CapabilityProfiler(new HardwareProbe(Path.of("")), ProfileCommand.version(),
                CapabilityProfiler.DEFAULT_BUDGET).profile(bench, false);
        if (!nip90 && (nip90Db != null || !nip90Models.models.isEmpty())) {
            throw new CommandLine.ParameterException(cli, "--nip90-db and --nip90-model configure --nip90: add it");
        }
        if (walletDb != null && WalletChoice.external(walletChoice)) {
            throw new CommandLine.ParameterException(cli, "--wallet-db is the dev wallet's ledger: not with --nwc or --lnd");
        }
        walletChoice = WalletChoice.withEnvironment(walletChoice, walletDb);
        try (ShutdownSignal signal = shutdown.install("fedai-node-shutdown");
                Runner runner = runner(cli);
                WalletChoice.Opened wallet = WalletChoice.open(cli, walletChoice, () -> devWallet(cli, keys, config));
                NodeJobJournal journal = NodeJobJournal.open(FedaiHome.orHome(db, "node.db"));
                RelayPool pool = new RelayPool(RelayPoolConfig.defaults().withAuthKeys(keys));
                AnnouncedRouters trusted = new AnnouncedRouters(pool, new AnnouncedRouters.Policy(
                        routers.stream().map(r -> PublicKey.of(r.startsWith("npub1") ? Nip19.decodeNpub(r) : r))
                                .collect(java.util.stream.Collectors.toSet()), graduatedOnly),
                        InstantSource.system())) {
            CliOptions.addRelays(cli, pool, relays);
            trusted.start(); // one node serves every announced router its operator admits
            NodeConfig served = config.withRouters(nip90 ? SoloNip90Service.withOwnRouter(trusted, keys) : trusted);
            try (SoloNip90Service solo = nip90 ? SoloNip90Service.open(keys, config.nodeId(), relays, wallet.backend(),
                            FedaiHome.orHome(nip90Db, "node-nip90.db"), nip90Models.models) : null;
                    NodeRole node = new NodeRole(served, InstantSource.system(), pool, journal, wallet.backend(), runner,
                            profile)) {
                node.retain(upkeep.retention(cli)).keepSparesAhead(sparesAhead).start();
                printSummary(out, keys, node.manifest(), wallet);
                if (solo != null) {
                    CliOptions.addRelays(cli, solo.pool(), relays);
                    if (!solo.start(Duration.ofSeconds(30))) {
                        cli.getErr().println("node: its own router has not seen the node's manifest yet; NIP-90 requests"
                                + " get no_capable_node until it does");
                    }
                    out.println("own router  " + Nip19.encodeNpub(solo.routerPublicKey()));
                    out.println("nip90       gateway " + solo.gatewayNpub());
                    out.flush();
                }
                node.onOutcome(o -> {
                    out.println("job " + o.jobId().hex().substring(0, 12) + " " + o.state().name().toLowerCase()
                            + " " + o.price() + ": " + o.summary());
                    out.flush();
                });
                long until = runSeconds == null ? Long.MAX_VALUE
                        : System.nanoTime() + Math.round(runSeconds * 1e9);
                Duration interval = upkeep.summaryInterval(cli);
                while (!signal.await(Duration.ofNanos(Math.max(0, Math.min(interval.toNanos(),
                        until - System.nanoTime())))) && System.nanoTime() < until) {
                    if (upkeep.stats) {
                        out.println(StatsLine.of("node", node.counters()));
                        out.flush();
                    }
                }
                if (upkeep.stats) {
                    out.println(StatsLine.of("node", node.counters()));
                }
                out.println("node: stopping");
                out.flush();
            }
        }
        return 0;
    }

    /** Stops a running {@link #call()} as SIGTERM would (for tests and embedding). */
    void stop() {
        shutdown.requestStop();
    }

    /** The Lightning key is derived from the Nostr key, so one key file is all a dev node has to keep. */
    private WalletChoice.Opened devWallet(CommandLine cli, KeyPair keys, NodeConfig config) {
        DevWalletNetwork network = DevWalletNetwork.open(FedaiHome.orHome(walletDb, "wallet.db"));
        try {
            DevWallet wallet = network.wallet(config.nodeId(), Sha256.hash(
                    ("fedai:lightning:" + keys.secretKeyHex()).getBytes(StandardCharsets.UTF_8)));
            return new WalletChoice.Opened(wallet, "dev wallet account " + wallet.account(), List.of(network));
        } catch (IllegalArgumentException e) {
            network.close();
            throw new CommandLine.ParameterException(cli, "--node-id " + config.nodeId() + ": " + e.getMessage());
        }
    }

    private static void printSummary(PrintWriter out, KeyPair keys, CapabilityManifest m, WalletChoice.Opened wallet) {
        out.println("node        " + keys.npub());
        out.println("node id     " + m.nodeId());
        out.println("lightning   " + wallet.backend().nodeId() + " (" + m.payment().network() + ", "
                + wallet.description() + ")");
        for (CapabilityManifest.ModelOffer model : m.models()) {
            long price = m.prices().stream().filter(p -> p.model().equals(model.id()))
                    .mapToLong(CapabilityManifest.Price::msatPerUnit).findFirst().orElse(0);
            out.println("model       " + model.id() + " (" + model.task() + ") " + price + " msat/text");
        }
        out.println("bands       " + m.bands());
        out.println("relays      " + String.join(" ", m.relays()));
        out.flush();
    }

    private KeyPair keys(CommandLine cli) throws IOException {
        return KeyFiles.load(cli, keySource.key, keySource.keyFile, FedaiHome.orHome(null, "node.key"));
    }

    private Runner runner(CommandLine cli) {
        if (runnerKind == RunnerKind.embedded) {
            return new EmbeddedRunner();
        }
        if (baseUrl == null || (chatModels.isEmpty() && embeddingModels.isEmpty())) {
            throw new CommandLine.ParameterException(cli,
                    "--runner " + runnerKind + " needs --base-url and at least one --model or --embedding-model");
        }
        ModelServerConfig server;
        try {
            server = ModelServerConfig.of(baseUrl, chatModels, embeddingModels);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--base-url: " + e.getMessage());
        }
        String apiKey = System.getenv("FEDAI_MODEL_API_KEY");
        if (apiKey != null && !apiKey.isBlank()) {
            server = server.withApiKey(apiKey);
        }
        return runnerKind == RunnerKind.openai ? new OpenAiRunner(server) : new OllamaRunner(server);
    }
}
