package org.fedai.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.roles.client.ClientConfig;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.client.JobSubmission;
import org.fedai.roles.node.NodeConfig;
import org.fedai.roles.node.NodeRole;
import org.fedai.roles.router.RouterConfig;
import org.fedai.roles.router.RouterRole;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.runner.NeverDeliveringRunner;
import org.fedai.runner.profile.BenchmarkResults;
import org.fedai.runner.profile.CapabilityBands;
import org.fedai.runner.profile.CapabilityProfile;
import org.fedai.runner.profile.CapabilityProfiler;
import org.fedai.runner.profile.HardwareProbe;
import org.fedai.store.ClientJournal;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.RouterLedger;
import org.fedai.store.SqlitePaymentHashRegistry;

/**
 * The market end to end in one process, every role talking only through the relay: a router, three nodes
 * with different prices and bands, one client paying from a dev wallet. One node is stopped mid-batch to
 * show failover. Returns the number of jobs lost (0 on success).
 *
 * <p>By default the dev wallet is what {@code fedai wallet serve} runs, a NIP-47 service on the market's
 * relay, and every role holds its own {@code nostr+walletconnect://} connection to it: the roles pay,
 * invoice and look payments up exactly as they would through a real wallet. {@link DemoWallets.Mode#DIRECT} hands
 * each role an in-process wallet instead.
 */
public final class MarketDemo implements AutoCloseable {

    /** Registers what the demo opened, to be closed with it (last opened, first closed). */
    interface Keeper {
        <T extends AutoCloseable> T keep(T closeable);
    }

    private static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(3);
    private static final long CLIENT_FUNDS_MSAT = 10_000_000;

    /** {@code claimedTextsPerS}: what the manifest declares as embedding_texts_per_s; NaN for the profiler's own. */
    /** {@code neverDelivers}: its runner is a {@link NeverDeliveringRunner}, paid and ordered, it publishes nothing. */
    private record NodeSpec(String name, long msatPerText, CapabilityBands.Size cpu, boolean neverDelivers,
            double claimedTextsPerS) {
        NodeSpec(String name, long msatPerText, CapabilityBands.Size cpu) {
            this(name, msatPerText, cpu, false, Double.NaN);
        }

        boolean overstates() {
            return !Double.isNaN(claimedTextsPerS);
        }
    }

    private static final List<NodeSpec> NODES = List.of(
            new NodeSpec("node-a", 800, CapabilityBands.Size.SMALL),
            new NodeSpec("node-b", 1000, CapabilityBands.Size.MEDIUM),
            new NodeSpec("node-c", 1500, CapabilityBands.Size.LARGE));

    /** With --adversarial: the cheapest nodes of the market, and misbehaving (see {@link AdversarialPhase}). */
    private static final List<NodeSpec> ADVERSARIES = List.of(
            new NodeSpec("node-x", 500, CapabilityBands.Size.SMALL, true, Double.NaN),
            new NodeSpec("node-y", 600, CapabilityBands.Size.SMALL, false, 1_000_000));

    private final PrintWriter out;
    private final String relayUrl;
    private final Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    private final DemoReport report;
    private final Map<String, NodeRole> nodes = new LinkedHashMap<>();
    private final List<JobOutcome> outcomes = new ArrayList<>();
    private final DemoWallets.Mode mode;
    private final boolean adversarial;
    /** Adversary name to its pubkey. */
    private final Map<String, String> adversaries = new LinkedHashMap<>();
    private DemoWallets wallets;
    private RouterRole router;
    private RouterLedger ledger;
    private ClientRole client;
    private KeyPair routerKeys;
    /** Every client's key: the demo's own, and each new one's under {@link #newClientPerJob}. */
    private final java.util.Set<String> clientKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private PaymentBackend clientWallet;
    private boolean newClients;
    /** Null: the demo's mix of jobs, paid before; else every job two short texts, paid on these terms. */
    private PaymentTiming timing;
    private Duration nodeSweep;

    /** The in-process wallets: what the benchmark measures, without wallet round trips on the relay. */
    public MarketDemo(PrintWriter out, String relayUrl) throws Exception {
        this(out, relayUrl, DemoWallets.Mode.DIRECT);
    }

    MarketDemo(PrintWriter out, String relayUrl, DemoWallets.Mode mode) throws Exception {
        this(out, relayUrl, mode, false);
    }

    /** With {@code adversarial}, the market also holds the {@link #ADVERSARIES}. */
    MarketDemo(PrintWriter out, String relayUrl, DemoWallets.Mode mode, boolean adversarial) throws Exception {
        this.out = out;
        this.relayUrl = relayUrl;
        this.mode = mode;
        this.adversarial = adversarial;
        this.dir = Files.createTempDirectory("fedai-demo-");
        this.report = new DemoReport(out, names);
    }

    private RelayPool pool() {
        return pool(null);
    }

    /** A pool that answers NIP-42 challenges with the role's own key, for relays that ask. */
    private RelayPool pool(KeyPair keys) {
        RelayPool pool = new RelayPool(keys == null ? RelayPoolConfig.defaults()
                : RelayPoolConfig.defaults().withAuthKeys(keys));
        pool.addRelay(relayUrl);
        closeables.add(pool);
        return pool;
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    public void start() throws Exception {
        wallets = new DemoWallets(mode, relayUrl, dir, this::pool, this::keep, out);
        routerKeys = KeyPair.generate();
        ledger = keep(RouterLedger.open(dir.resolve("router.db")));
        router = keep(new RouterRole(RouterConfig.defaults(routerKeys).withRouterId("demo-router")
                .withFee(new RouterAnnouncement.Fee(100, 10_000)).withAcceptTimeout(ACCEPT_TIMEOUT)
                // one client sends the whole batch: lift the per-client rate limit (60/min by default)
                .withPolicy(new RouterAnnouncement.Policy(1_000_000, 0, 100_000))
                .withRelays(List.of(relayUrl)), pool(routerKeys), ledger,
                keep(SqlitePaymentHashRegistry.open(dir.resolve("router-spent.db"))),
                wallets.wallet("router")));
        router.start();
        names.put(routerKeys.publicKey(), "router");

        EmbeddedRunner runner = new EmbeddedRunner();
        CapabilityProfile here = new CapabilityProfiler(new HardwareProbe(Path.of("")), "fedai demo",
                CapabilityProfiler.DEFAULT_BUDGET).profile(false, false);
        List<NodeSpec> specs = new ArrayList<>(NODES);
        if (adversarial) {
            specs.addAll(ADVERSARIES);
        }
        for (NodeSpec spec : specs) {
            KeyPair keys = KeyPair.generate();
            CapabilityBands b = here.bands();
            CapabilityProfile profile = new CapabilityProfile(here.softwareVersion(),
                    new CapabilityBands(b.platform(), spec.cpu(), b.memory(), b.disk(), b.gpu(), b.simd()),
                    here.recommended(), spec.overstates() ? Optional.of(new BenchmarkResults(Double.NaN, Double.NaN,
                            Double.NaN, spec.claimedTextsPerS())) : here.benchmarks(), here.raw());
            NodeConfig config = NodeConfig.defaults(keys, spec.name()).withPricing(Msat.of(spec.msatPerText()), Msat.of(0))
                    .withHeartbeatInterval(Duration.ofSeconds(5));
            config = nodeSweep == null ? config : config.withSweepInterval(nodeSweep);
            NodeRole node = keep(new NodeRole(config, InstantSource.system(), pool(keys),
                    keep(NodeJobJournal.open(dir.resolve(spec.name() + ".db"))),
                    wallets.wallet(spec.name()), spec.neverDelivers() ? keep(new NeverDeliveringRunner(runner)) : runner,
                    profile));
            node.start();
            nodes.put(spec.name(), node);
            names.put(keys.publicKey(), spec.name() + " (" + spec.msatPerText() + " msat/text, cpu "
                    + spec.cpu().wireName() + ")");
            if (spec.neverDelivers() || spec.overstates()) {
                adversaries.put(spec.name(), keys.publicKey());
            }
        }
        KeyPair keys = KeyPair.generate();
        clientKeys.add(keys.publicKey());
        clientWallet = wallets.wallet("client");
        wallets.deposit("client", CLIENT_FUNDS_MSAT);
        awaitLiveNodes(specs.size());
        client = keep(new ClientRole(ClientConfig.of(keys, PublicKey.of(routerKeys.publicKey())), pool(keys), clientWallet,
                keep(ClientJournal.open(dir.resolve("client.db")))).start());
        out.println("market      relay " + relayUrl + ", router + " + NODES.size() + " nodes + 1 client, "
                + (adversarial ? adversaries.size() + " adversarial node(s) " + adversaries.keySet() + ", " : "")
                + (wallets.overNwc() ? "dev wallet over NWC" : "in-process dev wallet"));
    }

    private void awaitLiveNodes(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (router.registry().live().size() < n && System.nanoTime() < until) {
            Thread.sleep(50); // the registry fills from relay deliveries it does not signal
        }
        if (router.registry().live().size() < n) {
            throw new IllegalStateException("router sees " + router.registry().live().size() + " of " + n + " nodes");
        }
    }

    /** Runs the batch; stops the node that served the first jobs after a third of them. Returns jobs lost. */
    int run(int jobs) throws Exception {
        return run(jobs, true, true);
    }

    /** Sequential jobs, one at a time; with {@code failover}, a node is stopped after a third of them. */
    public int run(int jobs, boolean failover, boolean print) throws Exception {
        outcomes.clear();
        String stopped = null;
        for (int i = 0; i < jobs; i++) {
            if (failover && i == jobs / 3 && stopped == null && !outcomes.isEmpty()) {
                stopped = outcomes.get(outcomes.size() - 1).node().map(PublicKey::hex).orElse(null);
                String name = names.get(stopped).split(" ")[0];
                nodes.get(name).close();
                out.println("failover    stopped " + name + " after job " + i + "; the router will time it out");
            }
            JobSubmission job = timing == null ? DemoJobs.mix(i) : DemoJobs.twoTexts(i, timing);
            JobOutcome o = newClients ? asNewClient(job) : client.submit(job).get(90, TimeUnit.SECONDS);
            outcomes.add(o);
            if (print) {
                report.row(i + 1, o);
            }
        }
        if (!print) {
            return (int) outcomes.stream().filter(o -> !o.succeeded()).count();
        }
        awaitMetering(outcomes.stream().filter(JobOutcome::succeeded).count());
        report.ledger(ledger.meteringLog());
        long lost = outcomes.stream().filter(o -> !o.succeeded()).count();
        long failedOver = outcomes.stream().filter(o -> o.quotes() > 1).count();
        long paid = outcomes.stream().mapToLong(o -> o.paid().value()).sum();
        out.printf("summary     %d jobs, %d succeeded, %d after failover, %d lost; client paid %d msat%n", jobs,
                jobs - lost, failedOver, lost, paid);
        if (wallets.overNwc()) {
            // the service's own ledger, not the client's account of it: the payments really went through NWC
            long holds = wallets.balance("client");
            long locked = CLIENT_FUNDS_MSAT - holds - paid;
            // a payment into the stopped node's spare, a hold invoice it will never settle: back when the hold times out
            out.printf("wallet      the service holds %d of the client's %d msat%s%n", holds, CLIENT_FUNDS_MSAT,
                    locked > 0 ? "; " + locked + " msat locked in the stopped node's spare, the client's again when"
                            + " its hold times out" : "");
        }
        out.flush();
        return (int) lost;
    }

    /**
     * {@code job} from a client the router never saw, with its own key and journal, paying from the client's wallet
     * account; closed once it ends (after its last proof is out).
     */
    private JobOutcome asNewClient(JobSubmission job) throws Exception {
        KeyPair keys = KeyPair.generate();
        clientKeys.add(keys.publicKey());
        try (RelayPool pool = new RelayPool(RelayPoolConfig.defaults().withAuthKeys(keys));
                ClientJournal journal = ClientJournal.open(dir.resolve("client-" + keys.publicKey() + ".db"));
                ClientRole newcomer = new ClientRole(ClientConfig.of(keys, PublicKey.of(routerKeys.publicKey())), pool,
                        clientWallet, journal)) {
            pool.addRelay(relayUrl);
            return newcomer.start().submit(job).get(90, TimeUnit.SECONDS);
        }
    }

    /**
     * Before the batch: each never-delivering adversary is paid for a job and must be slashed for it. True when
     * every one was.
     */
    boolean baitAdversaries() throws Exception {
        AdversarialPhase phase = new AdversarialPhase(out, router, client, pool());
        boolean all = true;
        for (NodeSpec spec : ADVERSARIES) {
            if (spec.neverDelivers()) {
                all &= phase.baitNonDelivery(spec.name(), adversaries.get(spec.name()));
            }
            if (spec.overstates()) {
                all &= phase.measureOverstatement(spec.name(), adversaries.get(spec.name()));
            }
        }
        return all;
    }

    /** After the batch: each adversary's claim, fetched from the relay and verified, and no work since. */
    boolean verifySlashes() throws Exception {
        AdversarialPhase phase = new AdversarialPhase(out, router, client, pool());
        boolean all = true;
        for (NodeSpec spec : ADVERSARIES) {
            if (spec.neverDelivers()) {
                all &= phase.verifyFromRelay(spec.name(), adversaries.get(spec.name()),
                        org.fedai.protocol.SlashClaim.Reason.NON_DELIVERY);
            }
            if (spec.overstates()) {
                all &= phase.verifyFromRelay(spec.name(), adversaries.get(spec.name()),
                        org.fedai.protocol.SlashClaim.Reason.MISREPRESENTATION);
            }
        }
        return all;
    }

    /**
     * {@code --nip90}: the NIP-90 gateway beside the router, and a customer that knows only NIP-90 paying from its own
     * wallet account. Returns the requests lost.
     */
    int nip90(int embeddings) throws Exception {
        Nip90Service service = keep(new Nip90Service(routerKeys, router, pool(), dir.resolve("nip90.db"), Map.of()));
        service.start();
        out.println("nip90       gateway " + service.npub() + " beside the router; a NIP-90 customer pays nodes"
                + " directly");
        PaymentBackend customerWallet = wallets.wallet("customer");
        wallets.deposit("customer", CLIENT_FUNDS_MSAT);
        KeyPair customerKeys = KeyPair.generate();
        try (var customer = new org.fedai.roles.nip90.Nip90Customer(customerKeys, pool(customerKeys),
                customerWallet)) {
            int lost = new Nip90Phase(out, customer, service.gateway().publicKey().hex()).run(embeddings);
            awaitMetering(service.gateway().requests().stream()
                    .filter(r -> r.state() == org.fedai.store.Nip90Journal.State.ANSWERED).count());
            long routerMsat = wallets.balance("router");
            long customerPaid = CLIENT_FUNDS_MSAT - wallets.balance("customer");
            out.printf("nip90       %d requests journalled by the gateway; the customer paid the nodes %d msat, "
                    + "the router's wallet holds %d msat%n", service.gateway().requests().size(), customerPaid,
                    routerMsat);
            return lost;
        }
    }

    /** The demo's market with a dev wallet service over NWC, as {@code fedai demo} runs it (for long benches). */
    public static MarketDemo overNwc(PrintWriter out, String relayUrl) throws Exception {
        return new MarketDemo(out, relayUrl, DemoWallets.Mode.NWC);
    }

    /**
     * Every job from now on two short texts, paid on {@code terms} (the demo's mix varies the texts, so the parts of a
     * partial job and the runner's work would vary from job to job).
     */
    public MarketDemo jobsPaid(PaymentTiming terms) {
        timing = terms;
        return this;
    }

    /**
     * Every job from a client new to the router, as a newcomer's first job is (set before {@link #run}): no fee
     * credit, so no {@code run_on_payment} (4401).
     */
    public MarketDemo newClientPerJob() {
        newClients = true;
        return this;
    }

    /** How often the nodes sweep (set before {@link #start()}; default {@link NodeConfig#defaults}'s). */
    public MarketDemo nodeSweep(Duration every) {
        nodeSweep = every;
        return this;
    }

    public String routerKey() {
        return routerKeys.publicKey();
    }

    /** "router", "node", "client" or "wallet" for a role's key or its wallet connection's, "" for any other. */
    public String roleOf(String pubkey) {
        String name = clientKeys.contains(pubkey) ? "client" : names.get(pubkey);
        name = name != null ? name : wallets.accountOf(pubkey).orElse("");
        return name.startsWith("node") ? "node" : name;
    }

    /** The method of a wallet request or the type of a notification on the market's relay, when over NWC. */
    public Optional<String> walletMethod(org.fedai.nostr.Event event) {
        return wallets.methodOf(event);
    }

    /** Where every role's SQLite file lives. */
    public Path dataDir() {
        return dir;
    }

    /** Adds funds to the client's account, for runs longer than the demo's. */
    public void fundClient(long msat) {
        wallets.deposit("client", msat);
    }

    /** Sets how long the router, nodes and client keep ended jobs, prunes them and the wallet now; jobs pruned. */
    public int pruneOlderThan(Duration keep) {
        int pruned = router.retain(keep).pruneSettled() + client.retain(keep).pruneFinished();
        for (NodeRole node : nodes.values()) {
            pruned += node.retain(keep).pruneSettled();
        }
        wallets.pruneOlderThan(keep);
        return pruned;
    }

    /** The outcomes of the last {@link #run}. */
    public List<JobOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** A result reaches the client before the node's metering record reaches the router: wait for the last. */
    private void awaitMetering(long expected) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ledger.meteringLog().stream().filter(DemoReport::receipted).count() < expected
                && System.nanoTime() < until) {
            Thread.sleep(50); // the ledger is written by the router's own thread, which does not signal
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // closing one role must not keep the others open
            }
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
