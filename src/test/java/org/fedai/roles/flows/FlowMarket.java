package org.fedai.roles.flows;

import org.fedai.domain.Msat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.JobRequest;
import org.fedai.roles.client.ClientConfig;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.client.JobSubmission;
import org.fedai.roles.node.NodeConfig;
import org.fedai.roles.node.NodeRole;
import org.fedai.roles.node.RouterTrust;
import org.fedai.roles.router.RouterConfig;
import org.fedai.roles.router.RouterRole;
import org.fedai.runner.profile.CapabilityBands;
import org.fedai.runner.profile.CapabilityProfile;
import org.fedai.store.ClientJournal;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.RouterLedger;
import org.fedai.store.SqlitePaymentHashRegistry;

/**
 * A whole market on an embedded relay, every role real: router (SQLite ledger, spent-hash registry), one node
 * (real MiniLM runner behind a {@link GatedRunner}, SQLite journal), one client (SQLite journal), all paying
 * through one DevWalletNetwork on a temp file. What the tests assert is what the wallets and ledgers show.
 */
final class FlowMarket implements AutoCloseable {

    static final long CLIENT_FUNDS = 1_000_000;
    static final List<String> TEXTS = List.of("a cat on a mat", "Lightning pays for compute");
    static final CapabilityProfile PROFILE = new CapabilityProfile("fedai test",
            new CapabilityBands("linux-x86_64", CapabilityBands.Size.SMALL, CapabilityBands.Size.MEDIUM,
                    CapabilityBands.Size.SMALL, CapabilityBands.Gpu.NONE, CapabilityBands.Simd.AVX2),
            List.of(), Optional.empty(), Optional.empty());
    static final Duration WAIT = Duration.ofSeconds(30);

    final Path dir;
    final EmbeddedRelay relay;
    final FlowWallets wallets;
    final KeyPair routerKeys = KeyPair.generate();
    final KeyPair nodeKeys = KeyPair.generate();
    final KeyPair clientKeys = KeyPair.generate();
    final GatedRunner runner;
    final RouterLedger ledger;
    final NodeJobJournal nodeJournal;
    private final SqlitePaymentHashRegistry spent;
    private final List<RelayPool> pools = new java.util.ArrayList<>();
    final RouterRole router;
    NodeRole node;
    final ClientRole client;
    final PaymentBackend clientWallet;

    FlowMarket(Path dir, org.fedai.runner.Runner model, Duration nodeSweep) throws Exception {
        this(dir, model, nodeSweep, false);
    }

    /** @param overNwc every role pays and gets paid over NIP-47 through the dev wallet service */
    FlowMarket(Path dir, org.fedai.runner.Runner model, Duration nodeSweep, boolean overNwc) throws Exception {
        this.dir = dir;
        relay = EmbeddedRelay.inMemory().start();
        wallets = overNwc ? FlowWallets.nwc(relay.url(), dir.resolve("wallets.db"))
                : FlowWallets.direct(dir.resolve("wallets.db"));
        clientWallet = wallets.wallet("client");
        wallets.deposit("client", CLIENT_FUNDS);
        runner = model == null ? null : new GatedRunner(model);
        ledger = RouterLedger.open(dir.resolve("router.db"));
        spent = SqlitePaymentHashRegistry.open(dir.resolve("router.db"));
        router = new RouterRole(RouterConfig.defaults(routerKeys).withAcceptTimeout(Duration.ofSeconds(5))
                .withRelays(List.of(relay.url())), pool(), ledger, spent,
                wallets.wallet("router"));
        router.start();
        nodeJournal = NodeJobJournal.open(dir.resolve("node.db"));
        if (model != null) {
            startNode(nodeSweep);
            awaitLiveNode();
        }
        client = new ClientRole(ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool(), clientWallet,
                ClientJournal.open(dir.resolve("client.db"))).start();
    }

    /** A market without a node role: the test plays the node ({@code model} null). */
    static FlowMarket withScriptedNode(Path dir) throws Exception {
        return new FlowMarket(dir, null, Duration.ofMillis(200));
    }

    void awaitLiveNode() {
        await().atMost(WAIT).until(() -> router.registry().live().stream()
                .anyMatch(n -> n.pubkey().hex().equals(nodeKeys.publicKey())));
    }

    RelayPool newPool() {
        return pool();
    }

    void startNode(Duration sweep) throws Exception {
        NodeConfig config = NodeConfig.defaults(nodeKeys, "flow-node").withPricing(Msat.of(1000), Msat.of(1000))
                .withSweepInterval(sweep).withHeartbeatInterval(Duration.ofSeconds(5))
                .withRelays(List.of(relay.url())).withRouters(RouterTrust.only(java.util.Set.of(PublicKey.of(routerKeys.publicKey()))));
        node = new NodeRole(config, InstantSource.system(), pool(), nodeJournal, nodeWallet(), runner, PROFILE);
        node.start();
    }

    /** Stops the node as a crash would leave it: the journal and wallet stay, nothing else. */
    void stopNode() {
        node.close();
        node = null;
    }

    PaymentBackend nodeWallet() {
        return wallets.wallet("node");
    }

    CompletableFuture<JobOutcome> submit(PaymentTiming timing) {
        return submit(timing, 30);
    }

    CompletableFuture<JobOutcome> submit(PaymentTiming timing, long deliverWithinSeconds) {
        return client.submit(new JobSubmission(org.fedai.runner.EmbeddedRunner.EMBEDDING_MODEL, "embedding", TEXTS,
                Map.of(), Msat.of(100_000), JobRequest.Constraints.none(), timing, deliverWithinSeconds));
    }

    long balance(String account) {
        return wallets.balance(account);
    }

    private RelayPool pool() {
        RelayPool pool = new RelayPool();
        pool.addRelay(relay.url());
        pools.add(pool);
        return pool;
    }

    @Override
    public void close() {
        client.close();
        if (node != null) {
            node.close();
        }
        router.close();
        pools.forEach(RelayPool::close);
        spent.close();
        ledger.close();
        nodeJournal.close();
        wallets.close();
        relay.close();
    }
}
