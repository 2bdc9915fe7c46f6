package org.fedai.roles.flows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.JobRequest;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.client.JobSubmission;
import org.fedai.roles.node.NodeRole;
import org.fedai.roles.router.RouterConfig;
import org.fedai.roles.router.RouterRole;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.runner.Runner;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.RouterLedger;
import org.fedai.testing.market.GatedRunner;
import org.fedai.testing.market.MarketNode;
import org.fedai.testing.market.MarketWallets;
import org.fedai.testing.market.TestMarket;

/**
 * The flow tests' market ({@link TestMarket}), every role real: router, one node (the real MiniLM runner behind a
 * {@link GatedRunner}), one client, all paying through one wallet ledger. What the tests assert is what the
 * wallets and ledgers show.
 */
final class FlowMarket implements AutoCloseable {

    static final long CLIENT_FUNDS = 1_000_000;
    static final List<String> TEXTS = List.of("a cat on a mat", "Lightning pays for compute");
    static final Duration WAIT = TestMarket.WAIT;

    final TestMarket market;
    final MarketWallets wallets;
    final KeyPair routerKeys;
    final KeyPair nodeKeys;
    final KeyPair clientKeys;
    final GatedRunner runner;
    final RouterLedger ledger;
    final NodeJobJournal nodeJournal;
    final RouterRole router;
    NodeRole node;
    final ClientRole client;
    final PaymentBackend clientWallet;
    private final MarketNode nodeSeat;

    FlowMarket(Path dir, Runner model, Duration nodeSweep) throws Exception {
        this(dir, model, nodeSweep, false);
    }

    /**
     * @param model   the node's runner; null for a market whose node the test plays under {@link #nodeKeys}
     * @param overNwc every role pays and gets paid over NIP-47 through the dev wallet service
     */
    FlowMarket(Path dir, Runner model, Duration nodeSweep, boolean overNwc) throws Exception {
        this(dir, model, nodeSweep, overNwc, UnaryOperator.identity());
    }

    /** As above, the router configured further by {@code routerConfig}. */
    FlowMarket(Path dir, Runner model, Duration nodeSweep, boolean overNwc, UnaryOperator<RouterConfig> routerConfig)
            throws Exception {
        runner = model == null ? null : new GatedRunner(model);
        Consumer<MarketNode> setUpNode = n -> n.nodeId("flow-node").runner(runner).configure(c -> c.withPricing(
                Msat.of(1000), Msat.of(1000)).withSweepInterval(nodeSweep).withHeartbeatInterval(Duration.ofSeconds(5)));
        TestMarket.Builder builder = TestMarket.in(dir)
                .router(r -> r.configure(c -> routerConfig.apply(c.withAcceptTimeout(Duration.ofSeconds(5)))))
                .client("client", c -> { });
        if (overNwc) {
            builder.walletsOverNwc("router", "node", "client");
        }
        if (runner != null) {
            builder.node("node", setUpNode);
        }
        market = builder.start();
        nodeSeat = market.node("node");
        if (runner == null) {
            setUpNode.accept(nodeSeat);
        }
        wallets = market.wallets();
        wallets.deposit("client", CLIENT_FUNDS);
        routerKeys = market.router().keys;
        nodeKeys = nodeSeat.keys;
        clientKeys = market.client("client").keys;
        ledger = market.router().ledger();
        router = market.router().role();
        nodeJournal = nodeSeat.journal();
        node = nodeSeat.running() ? nodeSeat.role() : null;
        client = market.client("client").role();
        clientWallet = market.client("client").wallet();
    }

    /** A market without a node role: the test plays the node. */
    static FlowMarket withScriptedNode(Path dir) throws Exception {
        return new FlowMarket(dir, null, Duration.ofMillis(200));
    }

    void awaitLiveNode() {
        market.router().awaitLive(nodeSeat.publicKey());
    }

    RelayPool newPool() {
        return market.newPool();
    }

    void startNode(Duration sweep) throws Exception {
        startNode(sweep, nodeWallet());
    }

    void startNode(Duration sweep, PaymentBackend wallet) throws Exception {
        node = nodeSeat.start(nodeSeat.config().withSweepInterval(sweep), runner, wallet);
    }

    /** Stops the node as a crash would leave it: the journal and wallet stay, nothing else. */
    void stopNode() {
        nodeSeat.stop();
        node = null;
    }

    PaymentBackend nodeWallet() {
        return nodeSeat.wallet();
    }

    CompletableFuture<JobOutcome> submit(PaymentTiming timing) {
        return submit(timing, 30);
    }

    CompletableFuture<JobOutcome> submit(PaymentTiming timing, long deliverWithinSeconds) {
        return client.submit(new JobSubmission(EmbeddedRunner.EMBEDDING_MODEL, "embedding", TEXTS, Map.of(),
                Msat.of(100_000), JobRequest.Constraints.none(), timing, deliverWithinSeconds));
    }

    long balance(String account) {
        return wallets.balance(account);
    }

    @Override
    public void close() {
        market.close();
    }
}
