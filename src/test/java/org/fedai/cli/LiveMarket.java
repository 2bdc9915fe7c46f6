package org.fedai.cli;

import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.nostr.relay.SqliteEventStore;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.roles.node.NodeConfig;
import org.fedai.roles.node.NodeRole;
import org.fedai.roles.node.RouterTrust;
import org.fedai.roles.router.RouterConfig;
import org.fedai.roles.router.RouterRole;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.runner.RunRequest;
import org.fedai.runner.RunResult;
import org.fedai.runner.Runner;
import org.fedai.runner.RunnerDescription;
import org.fedai.runner.StreamSink;
import org.fedai.runner.profile.CapabilityBands;
import org.fedai.runner.profile.CapabilityProfile;
import org.fedai.store.LedgerInvoice;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.RouterLedger;
import org.fedai.store.SqlitePaymentHashRegistry;

/**
 * A real market in the test JVM for a client to use, in process or as a separate OS process: an embedded relay
 * with a SQLite store (so it can be stopped and started again on the same port, events kept), a router and
 * one node (the real embedded runner, counted), all paying through one dev wallet ledger file the client's
 * process can open too.
 */
final class LiveMarket implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** Token chunking: the embedded runner does it without loading the embedding model. */
    static final String MODEL = "cl100k_base";
    static final long PRICE_PER_TEXT = 700;

    final Path dir;
    final Path walletDb;
    final KeyPair routerKeys = KeyPair.generate();
    final KeyPair nodeKeys = KeyPair.generate();
    final AtomicInteger runs = new AtomicInteger();
    final DevWalletNetwork wallets;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private int relayPort;
    private EmbeddedRelay relay;
    RouterRole router;
    NodeRole node;

    LiveMarket(Path dir) throws Exception {
        this(dir, new EmbeddedRunner());
    }

    /** With the node running {@code runner} (closed with the market), e.g. a chat runner against a stand-in. */
    LiveMarket(Path dir, Runner runner) throws Exception {
        this.dir = dir;
        this.walletDb = dir.resolve("wallets.db");
        startRelay();
        wallets = DevWalletNetwork.open(walletDb);
        RouterLedger ledger = keep(RouterLedger.open(dir.resolve("router.db")));
        router = keep(new RouterRole(RouterConfig.defaults(routerKeys).withRouterId("live")
                .withRelays(List.of(url())), pool(), ledger, keep(SqlitePaymentHashRegistry.open(
                        dir.resolve("router-spent.db"))), wallets.wallet("router", KeyPair.generate().secretKey())));
        router.start();
        Runner counted = counted(keep(runner));
        NodeConfig config = NodeConfig.defaults(nodeKeys, "live-node").withPricing(Msat.of(PRICE_PER_TEXT), Msat.of(0))
                .withRelays(List.of(url())).withRouters(RouterTrust.only(Set.of(PublicKey.of(routerKeys.publicKey()))));
        node = keep(new NodeRole(config, InstantSource.system(), pool(),
                keep(NodeJobJournal.open(dir.resolve("node.db"))),
                wallets.wallet("node", KeyPair.generate().secretKey()), counted, profile()));
        node.start();
        await().atMost(WAIT).until(() -> router.registry().live().size() == 1);
    }

    String url() {
        return "ws://127.0.0.1:" + relayPort;
    }

    /**
     * A pool that comes back quickly after a relay restart: short reconnect delays, and a short ping, so a
     * connection that opened while the relay was going down or coming up and then went silent is found dead in
     * seconds rather than after the default 30 s ping (a rare CI timeout of RelayLossMidPaymentTest).
     */
    RelayPool pool() {
        RelayPool pool = keep(new RelayPool(RelayPoolConfig.defaults().withReconnect(Duration.ofMillis(50),
                Duration.ofMillis(250)).withConnectionLostTimeout(Duration.ofSeconds(2))));
        pool.addRelay(url());
        return pool;
    }

    void startRelay() throws Exception {
        relay = new EmbeddedRelay(RelayConfig.defaults().withPort(relayPort),
                SqliteEventStore.open(dir.resolve("relay.db"))).start();
        relayPort = relay.port();
    }

    void stopRelay() {
        relay.close();
        relay = null;
    }

    /** Invoices {@code account} paid, as the wallet's ledger records them. */
    List<LedgerInvoice> paidBy(String account) {
        return wallets.ledger().invoicesTouching(account, 100).stream()
                .filter(i -> account.equals(i.payer())).toList();
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private Runner counted(Runner inner) {
        return new Runner() {
            @Override
            public RunnerDescription describe() {
                return inner.describe();
            }

            @Override
            public RunResult run(RunRequest request, StreamSink sink) {
                runs.incrementAndGet();
                return inner.run(request, sink);
            }
        };
    }

    private static CapabilityProfile profile() {
        return new CapabilityProfile("fedai test", new CapabilityBands("linux-x86_64", CapabilityBands.Size.SMALL,
                CapabilityBands.Size.MEDIUM, CapabilityBands.Size.SMALL, CapabilityBands.Gpu.NONE,
                CapabilityBands.Simd.AVX2), List.of(), Optional.empty(), Optional.empty());
    }

    @Override
    public void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        wallets.close();
        if (relay != null) {
            relay.close();
        }
    }
}
