package org.fedai.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedai.domain.Msat;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.roles.node.NodeRole;
import org.fedai.roles.router.RouterRole;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.runner.Runner;
import org.fedai.store.LedgerInvoice;
import org.fedai.testing.market.GatedRunner;
import org.fedai.testing.market.TestMarket;

/**
 * A real market in the test JVM ({@link TestMarket}) for a client to use, in process or as a separate OS process:
 * a relay on a SQLite store (so it can be stopped and started again on the same port, events kept), a router and
 * one node (the real embedded runner, counted), all paying through one dev wallet ledger file the client's
 * process can open too.
 */
final class LiveMarket implements AutoCloseable {

    static final Duration WAIT = TestMarket.WAIT;
    /** Token chunking: the embedded runner does it without loading the embedding model. */
    static final String MODEL = "cl100k_base";
    static final long PRICE_PER_TEXT = 700;
    /**
     * Pools that come back quickly after a relay restart: short reconnect delays, and a short ping, so a connection
     * that opened while the relay was going down or coming up and then went silent is found dead in seconds rather
     * than after the default 30 s ping (a rare CI timeout of RelayLossMidPaymentTest).
     */
    private static final RelayPoolConfig POOLS = RelayPoolConfig.defaults()
            .withReconnect(Duration.ofMillis(50), Duration.ofMillis(250))
            .withConnectionLostTimeout(Duration.ofSeconds(2));

    final TestMarket market;
    final Path walletDb;
    final KeyPair routerKeys;
    final KeyPair nodeKeys;
    final AtomicInteger runs;
    final DevWalletNetwork wallets;
    final RouterRole router;
    final NodeRole node;

    LiveMarket(Path dir) throws Exception {
        this(dir, new EmbeddedRunner());
    }

    /** With the node running {@code runner} (closed with the market), e.g. a chat runner against a stand-in. */
    LiveMarket(Path dir, Runner runner) throws Exception {
        GatedRunner counted = new GatedRunner(runner);
        market = TestMarket.in(dir).restartableRelay().pools(POOLS)
                .router(r -> r.configure(c -> c.withRouterId("live")))
                .node("node", n -> n.nodeId("live-node").runner(counted)
                        .configure(c -> c.withPricing(Msat.of(PRICE_PER_TEXT), Msat.of(0))))
                .start();
        market.closeWith(runner);
        walletDb = market.walletFile();
        routerKeys = market.router().keys;
        nodeKeys = market.node("node").keys;
        runs = counted.runs;
        wallets = market.wallets().network();
        router = market.router().role();
        node = market.node("node").role();
    }

    String url() {
        return market.relayUrl();
    }

    RelayPool pool() {
        return market.newPool();
    }

    void startRelay() throws Exception {
        market.startRelay();
    }

    void stopRelay() {
        market.stopRelay();
    }

    /** Invoices {@code account} paid, as the wallet's ledger records them. */
    List<LedgerInvoice> paidBy(String account) {
        return wallets.ledger().invoicesTouching(account, 100).stream()
                .filter(i -> account.equals(i.payer())).toList();
    }

    @Override
    public void close() {
        market.close();
    }
}
