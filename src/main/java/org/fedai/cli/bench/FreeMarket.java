package org.fedai.cli.bench;

import org.fedai.domain.Msat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.InMemoryEventStore;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.nostr.relay.RelayLimits;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.roles.client.ClientConfig;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.client.JobSubmission;
import org.fedai.roles.node.NodeConfig;
import org.fedai.roles.node.NodeRole;
import org.fedai.roles.router.RouterConfig;
import org.fedai.roles.router.RouterRole;
import org.fedai.runner.NeverDeliveringRunner;
import org.fedai.runner.profile.CapabilityBands;
import org.fedai.runner.profile.CapabilityProfile;
import org.fedai.store.ClientJournal;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.RouterLedger;
import org.fedai.store.SqlitePaymentHashRegistry;

/**
 * A market of free work for the benchmarks, every role real and separate (own keys, own relay connection, own
 * SQLite journal) and talking only through one relay: one router, {@code nodes} simulated nodes (price 0,
 * {@link HashEmbeddingRunner}), {@code clients} clients. The relay is a given URL or an embedded one on loopback,
 * whose per-connection rate limit is lifted, because one router publishes four events per job (two quote copies,
 * work order, receipt): at the default 1000 events/s it alone would cap the market near 250 jobs/s.
 */
final class FreeMarket implements AutoCloseable {

    /** Events per second and burst per relay connection, far above what this market can produce. */
    static final RelayLimits LIMITS = RelayLimits.DEFAULTS.withRate(1_000_000, 1_000_000)
            .withMaxPendingOutbound(1_000_000);

    private static final CapabilityProfile PROFILE = new CapabilityProfile("fedai bench",
            new CapabilityBands("linux-x86_64", CapabilityBands.Size.SMALL, CapabilityBands.Size.SMALL,
                    CapabilityBands.Size.SMALL, CapabilityBands.Gpu.NONE, CapabilityBands.Simd.AVX2),
            List.of(), Optional.empty(), Optional.empty());

    private final Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** Null on another relay. */
    private final EmbeddedRelay relay;
    private final String url;
    private final Map<String, String> roles = new java.util.concurrent.ConcurrentHashMap<>();
    private final RouterRole router;
    private final List<NodeRole> nodes = new ArrayList<>();
    private final List<ClientRole> clients = new ArrayList<>();

    private final List<String> adversaries = new ArrayList<>();

    FreeMarket(int nodeCount, int clientCount) throws Exception {
        this(nodeCount, clientCount, 0);
    }

    /** The first {@code adversarial} nodes never deliver ({@link NeverDeliveringRunner}). */
    FreeMarket(int nodeCount, int clientCount, int adversarial) throws Exception {
        this(nodeCount, clientCount, adversarial, null, Duration.ZERO);
    }

    /** On the relay at {@code relayUrl}, or (null) on an embedded one that holds each live delivery {@code delay}. */
    FreeMarket(int nodeCount, int clientCount, int adversarial, String relayUrl, Duration delay) throws Exception {
        dir = Files.createTempDirectory("fedai-bench-");
        relay = relayUrl != null ? null : keep(new EmbeddedRelay(RelayConfig.defaults().withLimits(LIMITS)
                .withDeliveryDelay(delay), new InMemoryEventStore()).start());
        url = relayUrl != null ? relayUrl : relay.url();
        DevWalletNetwork wallets = keep(DevWalletNetwork.open(dir.resolve("wallets.db")));
        KeyPair routerKeys = KeyPair.generate();
        router = keep(new RouterRole(RouterConfig.defaults(routerKeys).withRouterId("bench-router")
                .withFee(new RouterAnnouncement.Fee(0, 0))
                // a few clients send every job: lift the per-client rate limit (60/min by default)
                .withPolicy(new RouterAnnouncement.Policy(1_000_000, 0, Integer.MAX_VALUE))
                .withRelays(List.of(url)), pool(), keep(RouterLedger.open(dir.resolve("router.db"))),
                keep(SqlitePaymentHashRegistry.open(dir.resolve("router-spent.db"))),
                wallets.wallet("router", KeyPair.generate().secretKey())));
        router.start();
        roles.put(routerKeys.publicKey(), "router");
        HashEmbeddingRunner runner = new HashEmbeddingRunner();
        for (int i = 0; i < nodeCount; i++) {
            String name = "sim-node-" + i;
            NodeConfig config = NodeConfig.defaults(KeyPair.generate(), name).withPricing(Msat.ZERO, Msat.ZERO)
                    .withRelays(List.of(url)).withHeartbeatInterval(Duration.ofSeconds(30));
            if (i < adversarial) {
                adversaries.add(config.keys().publicKey());
            }
            NodeRole node = keep(new NodeRole(config, InstantSource.system(), pool(),
                    keep(NodeJobJournal.open(dir.resolve(name + ".db"))),
                    wallets.wallet(name, KeyPair.generate().secretKey()),
                    i < adversarial ? keep(new NeverDeliveringRunner(runner)) : runner, PROFILE));
            node.start();
            nodes.add(node);
            roles.put(config.keys().publicKey(), "node");
        }
        awaitLiveNodes(nodeCount);
        for (int i = 0; i < clientCount; i++) {
            KeyPair clientKeys = KeyPair.generate();
            roles.put(clientKeys.publicKey(), "client");
            clients.add(keep(new ClientRole(ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool(),
                    wallets.wallet("client-" + i, KeyPair.generate().secretKey()),
                    keep(ClientJournal.open(dir.resolve("client-" + i + ".db")))).start()));
        }
    }

    private RelayPool pool() {
        RelayPool pool = keep(new RelayPool());
        pool.addRelay(url);
        return pool;
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private void awaitLiveNodes(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (router.registry().live().size() < n && System.nanoTime() < until) {
            Thread.sleep(20); // the registry fills from relay deliveries it does not signal
        }
        if (router.registry().live().size() < n) {
            throw new IllegalStateException("router sees " + router.registry().live().size() + " of " + n + " nodes");
        }
    }

    int clientCount() {
        return clients.size();
    }

    /** One free embedding job of two short texts (unique per {@code seq}) from client {@code client}. */
    CompletableFuture<JobOutcome> submit(int client, long seq) {
        return submit(client, seq, JobRequest.Constraints.none(), 60);
    }

    /** As {@link #submit(int, long)}, limited by {@code constraints} and due {@code deliverWithinS} after sending. */
    CompletableFuture<JobOutcome> submit(int client, long seq, JobRequest.Constraints constraints,
            long deliverWithinS) {
        return clients.get(client).submit(new JobSubmission(HashEmbeddingRunner.MODEL, "embedding",
                List.of("bench text " + seq, "second text " + seq), Map.of(), Msat.ZERO, constraints,
                PaymentTiming.FREE, deliverWithinS));
    }

    /** Public keys of the never-delivering nodes. */
    List<String> adversaries() {
        return List.copyOf(adversaries);
    }

    /** A fresh relay connection, for reading back what the roles published. */
    RelayPool readerPool() {
        return pool();
    }

    RouterRole router() {
        return router;
    }

    /** The embedded relay, empty when the market runs on another. */
    Optional<EmbeddedRelay> embedded() {
        return Optional.ofNullable(relay);
    }

    String url() {
        return url;
    }

    /** "router", "node" or "client" for a role's key, "" for any other. */
    String roleOf(String pubkey) {
        return roles.getOrDefault(pubkey, "");
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
