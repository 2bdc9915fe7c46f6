package org.fedai.cli;

import org.fedai.domain.PublicKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.payment.PaymentBackend;
import org.fedai.roles.nip90.Nip90Gateway;
import org.fedai.roles.node.RouterTrust;
import org.fedai.roles.router.RouterConfig;
import org.fedai.roles.router.RouterRole;
import org.fedai.store.RouterLedger;
import org.fedai.store.SqlitePaymentHashRegistry;

/**
 * {@code fedai node --nip90}: a node whose operator runs no router still serves NIP-90 customers. Beside the node run
 * a router of its own, which quotes that node and no other ({@link RouterConfig#servedNodes()}), and a NIP-90
 * gateway limited to it. Payment stays as for any gateway job: the customer pays the node's invoice, the router
 * verifies the revealed preimage before it orders the work, and it meters and attests the job as any router does.
 * Both keys are derived from the node's, so a restart keeps them without key files; the router's ledger and the
 * gateway's journals share one SQLite file. The router starts without probation: its only node is its host's own.
 */
final class SoloNip90Service implements AutoCloseable {

    private final RelayPool pool;
    private final RouterLedger ledger;
    private final SqlitePaymentHashRegistry spent;
    private final RouterRole router;
    private final Nip90Service gateway;
    private final String servedNode;

    private SoloNip90Service(RelayPool pool, RouterLedger ledger, SqlitePaymentHashRegistry spent, RouterRole router,
            Nip90Service gateway, String servedNode) {
        this.pool = pool;
        this.ledger = ledger;
        this.spent = spent;
        this.router = router;
        this.gateway = gateway;
        this.servedNode = servedNode;
    }

    /** The router's key: the same for the same node key, and not the node's (a router quotes nodes, not itself). */
    static KeyPair routerKeys(KeyPair nodeKeys) {
        return KeyPair.fromSecretKey(Sha256.hash(("fedai:solo-router:" + nodeKeys.secretKeyHex())
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** The node's router trust, widened to its own router. */
    static RouterTrust withOwnRouter(RouterTrust operators, KeyPair nodeKeys) {
        PublicKey own = PublicKey.of(routerKeys(nodeKeys).publicKey());
        return pubkey -> own.equals(pubkey) || operators.isRouter(pubkey);
    }

    /** Opens the router and the gateway for the node {@code nodeKeys}, fees invoiced through the node's wallet. */
    static SoloNip90Service open(KeyPair nodeKeys, String nodeId, List<String> relays, PaymentBackend nodeWallet,
            Path db, Map<Integer, String> models) {
        KeyPair routerKeys = routerKeys(nodeKeys);
        RelayPool pool = new RelayPool(RelayPoolConfig.defaults().withAuthKeys(routerKeys));
        RouterLedger ledger = RouterLedger.open(db);
        SqlitePaymentHashRegistry spent = SqlitePaymentHashRegistry.open(db);
        Set<PublicKey> only = Set.of(PublicKey.of(nodeKeys.publicKey()));
        RouterRole router = new RouterRole(RouterConfig.defaults(routerKeys).withRelays(relays)
                .withRouterId("solo-" + nodeId).withServedNodes(only), pool, ledger, spent, nodeWallet);
        Nip90Gateway.Config config = Nip90Gateway.Config.of(Nip90Service.gatewayKeys(routerKeys),
                Nip90Service.withDefaults(models)).servingOnly(only, "fedai " + nodeId,
                "fedai node " + nodeId + ": pay the node's invoice, its own router verifies it");
        return new SoloNip90Service(pool, ledger, spent, router, new Nip90Service(config, router, pool, db),
                nodeKeys.publicKey());
    }

    RelayPool pool() {
        return pool;
    }

    String routerPublicKey() {
        return router.publicKey().hex();
    }

    /**
     * Subscribes on the node's relays (added to {@link #pool()} first) and announces the router; the gateway starts
     * once the router holds the node's manifest (or {@code within} passed), so that the first requests find it.
     *
     * @return whether the router saw the node live in time
     */
    boolean start(java.time.Duration within) throws InterruptedException {
        router.start();
        long deadline = System.nanoTime() + within.toNanos();
        boolean live;
        while (!(live = router.registry().live().stream().anyMatch(n -> servedNode.equals(n.pubkey().hex())))
                && System.nanoTime() < deadline) {
            Thread.sleep(20); // polls a local map; the manifest arrives over the relay
        }
        gateway.start();
        return live;
    }

    String gatewayNpub() {
        return gateway.npub();
    }

    @Override
    public void close() {
        gateway.close();
        router.close();
        pool.close();
        spent.close();
        ledger.close();
    }
}
