package org.fedai.testing.market;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.nostr.relay.SqliteEventStore;

/**
 * The one market fixture: an embedded relay, the wallets, and any subset of real roles on it (a router, nodes,
 * clients), each role on its own relay connection and SQLite books in the test's folder, plus the peers the test
 * plays by hand. {@link #close} stops the roles and closes everything in reverse order.
 *
 * <pre>{@code
 * try (TestMarket market = TestMarket.in(dir)
 *         .router(r -> r.configure(c -> c.withAcceptTimeout(Duration.ofSeconds(5))))
 *         .node("node", n -> n.runner(runner))
 *         .client("client", c -> {})
 *         .start()) {
 *     market.client("client").role().submit(...);
 * }
 * }</pre>
 *
 * A role declared on the builder starts with the market (nodes are awaited live in the router); any other is a
 * seat ({@link #router()}, {@link #node}, {@link #client}) with keys and a wallet account that the test starts,
 * stops and starts again when it chooses, or plays by hand through {@link #scriptedPeer}.
 */
public final class TestMarket implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(30);

    private final Path dir;
    private final boolean restartableRelay;
    private final RelayPoolConfig poolConfig;
    /** What the test handed over to close with the market, closed in reverse order after the roles. */
    private final List<AutoCloseable> extras = new ArrayList<>();
    private final Map<String, MarketNode> nodes = new LinkedHashMap<>();
    private final Map<String, MarketClient> clients = new LinkedHashMap<>();
    private EmbeddedRelay relay;
    private int relayPort;
    private MarketWallets wallets;
    private MarketRouter router;
    private RelayPool scriptedPool;

    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    private TestMarket(Builder b) {
        this.dir = b.dir;
        this.restartableRelay = b.restartableRelay;
        this.poolConfig = b.poolConfig;
    }

    private void open(List<String> nwcAccounts) throws Exception {
        startRelay();
        wallets = nwcAccounts == null ? MarketWallets.direct(walletFile())
                : MarketWallets.nwc(relayUrl(), walletFile(), nwcAccounts);
        router = new MarketRouter(this);
    }

    public Path dir() {
        return dir;
    }

    /** The wallets' SQLite ledger, which a client in another process can open too. */
    public Path walletFile() {
        return dir.resolve("wallets.db");
    }

    /** The relay's URL, the same across {@link #stopRelay} and {@link #startRelay}. */
    public String relayUrl() {
        return "ws://127.0.0.1:" + relayPort;
    }

    public EmbeddedRelay relay() {
        return relay;
    }

    /** Starts the relay, again on the same port and SQLite store after {@link #stopRelay} if restartable. */
    public void startRelay() throws Exception {
        if (relay != null) {
            throw new IllegalStateException("the relay is running");
        }
        if (relayPort != 0 && !restartableRelay) {
            throw new IllegalStateException("an in-memory relay keeps nothing to restart on: build it restartable");
        }
        relay = restartableRelay
                ? new EmbeddedRelay(RelayConfig.defaults().withPort(relayPort), SqliteEventStore.open(dir.resolve(
                        "relay.db"))).start()
                : EmbeddedRelay.inMemory().start();
        relayPort = relay.port();
    }

    public void stopRelay() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }

    public MarketWallets wallets() {
        return wallets;
    }

    public MarketRouter router() {
        return router;
    }

    /** The node with this wallet account, a seat made on first mention. */
    public MarketNode node(String account) {
        return nodes.computeIfAbsent(account, a -> new MarketNode(this, a));
    }

    /** The client with this wallet account, a seat made on first mention. */
    public MarketClient client(String account) {
        return clients.computeIfAbsent(account, a -> new MarketClient(this, a));
    }

    /** A fresh connection to the market's relay, with the market's pool settings; closed with the market. */
    public RelayPool newPool() {
        RelayPool pool = closeWith(new RelayPool(poolConfig));
        pool.addRelay(relayUrl());
        return pool;
    }

    /** A party the test plays, with fresh keys and the wallet account {@code name}, funded with {@code depositMsat}. */
    public ScriptedPeer scriptedPeer(String name, long depositMsat) {
        return scriptedPeer(name, KeyPair.generate(), depositMsat);
    }

    /**
     * A party the test plays under {@code keys} (a seat's, to play that role), all such parties sharing one relay
     * connection.
     */
    public ScriptedPeer scriptedPeer(String name, KeyPair keys, long depositMsat) {
        ScriptedPeer peer = new ScriptedPeer(name, keys, wallets.wallet(name), scriptedPool());
        if (depositMsat > 0) {
            wallets.deposit(name, depositMsat);
        }
        return peer;
    }

    /** The relay connection the scripted peers share, for what the test reads or writes as none of them. */
    public RelayPool scriptedPool() {
        if (scriptedPool == null) {
            scriptedPool = newPool();
        }
        return scriptedPool;
    }

    /** Closed with the market, after its roles have stopped (a runner, a gateway's journal). */
    public <T extends AutoCloseable> T closeWith(T closeable) {
        extras.add(closeable);
        return closeable;
    }

    @Override
    public void close() {
        Closing closing = new Closing();
        clients.values().forEach(c -> closing.run(c::stop));
        nodes.values().forEach(n -> closing.run(n::stop));
        if (router != null) {
            closing.run(router::stop);
        }
        extras.reversed().forEach(closing::run);
        clients.values().forEach(c -> closing.run(c::closeJournal));
        nodes.values().forEach(n -> closing.run(n::closeJournal));
        if (wallets != null) {
            closing.run(wallets);
        }
        if (relay != null) {
            closing.run(relay);
        }
        closing.rethrow();
    }

    /** Closes each thing even when one before it failed, then reports the first failure. */
    private static final class Closing {
        private RuntimeException first;

        void run(AutoCloseable step) {
            try {
                step.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }

        void rethrow() {
            if (first != null) {
                throw first;
            }
        }
    }

    /** What the market is made of; {@link #start} assembles it. */
    public static final class Builder {
        private final Path dir;
        private boolean restartableRelay;
        private RelayPoolConfig poolConfig = RelayPoolConfig.defaults();
        private List<String> nwcAccounts;
        private Consumer<MarketRouter> router;
        private final Map<String, Consumer<MarketNode>> nodes = new LinkedHashMap<>();
        private final Map<String, Consumer<MarketClient>> clients = new LinkedHashMap<>();

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** A relay on a SQLite store, so that it can stop and start again on the same port with its events. */
        public Builder restartableRelay() {
            this.restartableRelay = true;
            return this;
        }

        /** The settings of every relay connection the market opens (default: {@link RelayPoolConfig#defaults}). */
        public Builder pools(RelayPoolConfig config) {
            this.poolConfig = config;
            return this;
        }

        /** Every wallet a NIP-47 client of the dev wallet service on the market's relay, one per account. */
        public Builder walletsOverNwc(String... accounts) {
            this.nwcAccounts = List.of(accounts);
            return this;
        }

        /** A real router, set up by {@code setUp} and started with the market. */
        public Builder router(Consumer<MarketRouter> setUp) {
            this.router = setUp;
            return this;
        }

        /** A real node (it needs a runner), set up by {@code setUp}, started and awaited live with the market. */
        public Builder node(String account, Consumer<MarketNode> setUp) {
            nodes.put(account, setUp);
            return this;
        }

        /** A real client, set up by {@code setUp} and started once the nodes are live. */
        public Builder client(String account, Consumer<MarketClient> setUp) {
            clients.put(account, setUp);
            return this;
        }

        public TestMarket start() throws Exception {
            TestMarket market = new TestMarket(this);
            try {
                market.open(nwcAccounts);
                if (router != null) {
                    router.accept(market.router());
                    market.router().start();
                }
                List<PublicKey> started = new ArrayList<>();
                for (Map.Entry<String, Consumer<MarketNode>> n : nodes.entrySet()) {
                    MarketNode node = market.node(n.getKey());
                    n.getValue().accept(node);
                    node.start();
                    started.add(node.publicKey());
                }
                if (router != null && !started.isEmpty()) {
                    market.router().awaitLive(started.toArray(PublicKey[]::new));
                }
                for (Map.Entry<String, Consumer<MarketClient>> c : clients.entrySet()) {
                    MarketClient client = market.client(c.getKey());
                    c.getValue().accept(client);
                    client.start();
                }
                return market;
            } catch (Exception | Error e) {
                try {
                    market.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }
    }
}
