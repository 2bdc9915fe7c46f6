package org.fedai.testing.market;

import static org.awaitility.Awaitility.await;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.PaymentBackend;
import org.fedai.roles.router.Probation;
import org.fedai.roles.router.ProbationTerms;
import org.fedai.roles.router.RouterBenchmarks;
import org.fedai.roles.router.RouterConfig;
import org.fedai.roles.router.RouterRole;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterProbationJournal;
import org.fedai.store.SqlitePaymentHashRegistry;

/**
 * The market's router: one identity (its keys, the wallet account "router", its books in router.db) that a test
 * runs as the real role, stops and starts again, or plays by hand under the same keys ({@link
 * TestMarket#scriptedPeer(String, KeyPair, long)}). Nodes started by the market trust exactly this key.
 */
public final class MarketRouter {

    /** The benchmark figures a router on probation was admitted with. */
    public static final RouterBenchmarks FIGURES = new RouterBenchmarks(20_000, 1500, 8, 3, 4, 8L << 30, 50L << 30);
    /** The commitment to {@link #FIGURES} a router on probation announces. */
    public static final String FIGURES_COMMITMENT = "cd".repeat(32);

    public final KeyPair keys = KeyPair.generate();
    private final TestMarket market;
    private RouterConfig config;
    private ProbationTerms probationTerms;
    private RelayPool pool;
    private RouterLedger ledger;
    private SqlitePaymentHashRegistry spent;
    private RouterProbationJournal probationJournal;
    private RouterRole role;

    MarketRouter(TestMarket market) {
        this.market = market;
        this.config = RouterConfig.defaults(keys).withRelays(List.of(market.relayUrl()));
    }

    public PublicKey publicKey() {
        return PublicKey.of(keys.publicKey());
    }

    /** What the next {@link #start} runs with: the defaults on the market's relay, as changed so far. */
    public RouterConfig config() {
        return config;
    }

    public MarketRouter config(RouterConfig next) {
        this.config = next;
        return this;
    }

    public MarketRouter configure(UnaryOperator<RouterConfig> change) {
        return config(change.apply(config));
    }

    /** The next {@link #start} runs on probation under these terms (null: no probation), on the config's clock. */
    public MarketRouter probation(ProbationTerms terms) {
        this.probationTerms = terms;
        return this;
    }

    /** Starts the router on its books as the last run left them; {@code extraRelays} join the market's relay. */
    public RouterRole start(String... extraRelays) {
        if (role != null) {
            throw new IllegalStateException("the router is running");
        }
        pool = market.newPool();
        for (String url : extraRelays) {
            pool.addRelay(url);
        }
        ledger = RouterLedger.open(market.dir().resolve("router.db"));
        spent = SqlitePaymentHashRegistry.open(market.dir().resolve("router.db"));
        Probation probation = null;
        if (probationTerms != null) {
            probationJournal = RouterProbationJournal.open(market.dir().resolve("router.db"));
            RouterLedger books = ledger;
            probation = new Probation(probationTerms, publicKey(), FIGURES, FIGURES_COMMITMENT, probationJournal,
                    () -> books.totals().metered(), config.clock());
        }
        role = new RouterRole(config, pool, ledger, spent, wallet(), probation);
        role.start();
        return role;
    }

    /** Stops the router as a restart would: its books closed, its wallet account kept. */
    public void stop() {
        if (role == null) {
            return;
        }
        role.close();
        pool.close();
        spent.close();
        ledger.close();
        if (probationJournal != null) {
            probationJournal.close();
            probationJournal = null;
        }
        role = null;
    }

    public boolean running() {
        return role != null;
    }

    public RouterRole role() {
        return require(role);
    }

    public RouterLedger ledger() {
        return require(ledger);
    }

    public SqlitePaymentHashRegistry spentHashes() {
        return require(spent);
    }

    /** The running router's own relay connection. */
    public RelayPool pool() {
        return require(pool);
    }

    public PaymentBackend wallet() {
        return market.wallets().wallet("router");
    }

    /** Waits until the running router counts every one of these nodes live. */
    public void awaitLive(PublicKey... nodes) {
        await().atMost(TestMarket.WAIT).until(() -> {
            Set<String> live = new HashSet<>();
            role().registry().live().forEach(n -> live.add(n.pubkey().hex()));
            return List.of(nodes).stream().allMatch(n -> live.contains(n.hex()));
        });
    }

    private <T> T require(T running) {
        if (running == null) {
            throw new IllegalStateException("the router is not running");
        }
        return running;
    }
}
