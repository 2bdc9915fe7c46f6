package org.fedai.roles.client;

import org.fedai.domain.Msat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.InMemoryEventStore;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.roles.node.NodeConfig;
import org.fedai.roles.node.NodeRole;
import org.fedai.roles.node.RouterTrust;
import org.fedai.roles.router.RouterConfig;
import org.fedai.roles.router.RouterRole;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.runner.profile.CapabilityBands;
import org.fedai.runner.profile.CapabilityProfile;
import org.fedai.store.ClientJournal;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.RouterLedger;
import org.fedai.store.SqlitePaymentHashRegistry;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NIP-42 where relays ask for it: a relay that requires AUTH and admits only the three role keys carries a whole
 * job (router, node and client each answer the challenge with their own key through their RelayPool, and their
 * refused REQs and EVENTs are sent again once authenticated); a pool with another key gets nothing.
 */
@RelayTest
class RolesOnAuthRelayTest {

    private static final CapabilityProfile PROFILE = new CapabilityProfile("fedai test",
            new CapabilityBands("linux-x86_64", CapabilityBands.Size.SMALL, CapabilityBands.Size.MEDIUM,
                    CapabilityBands.Size.SMALL, CapabilityBands.Gpu.NONE, CapabilityBands.Simd.AVX2),
            List.of(), Optional.empty(), Optional.empty());

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(0, closeable);
        return closeable;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private RelayPool pool(EmbeddedRelay relay, KeyPair keys) {
        RelayPool pool = keep(new RelayPool(RelayPoolConfig.defaults().withAuthKeys(keys)));
        pool.addRelay(relay.url());
        return pool;
    }

    @Test
    void aJobGoesThroughARelayThatRequiresAuthFromEachRoleKey() throws Exception {
        KeyPair routerKeys = KeyPair.generate();
        KeyPair nodeKeys = KeyPair.generate();
        KeyPair clientKeys = KeyPair.generate();
        EmbeddedRelay relay = keep(new EmbeddedRelay(RelayConfig.defaults().withAuthRequired(true,
                Set.of(routerKeys.publicKey(), nodeKeys.publicKey(), clientKeys.publicKey())),
                new InMemoryEventStore()).start());
        DevWalletNetwork network = keep(DevWalletNetwork.open(dir.resolve("wallet.db")));

        RouterRole router = keep(new RouterRole(RouterConfig.defaults(routerKeys).withRelays(List.of(relay.url())),
                pool(relay, routerKeys), keep(RouterLedger.open(dir.resolve("router.db"))),
                keep(SqlitePaymentHashRegistry.open(dir.resolve("router.db"))),
                network.wallet("router", KeyPair.generate().secretKey())));
        router.start();
        NodeRole node = keep(new NodeRole(NodeConfig.defaults(nodeKeys, "node-a").withPricing(Msat.of(1000), Msat.of(1000))
                .withHeartbeatInterval(Duration.ofSeconds(5)).withSweepInterval(Duration.ofMillis(200))
                .withRelays(List.of(relay.url())).withRouters(RouterTrust.only(Set.of(PublicKey.of(routerKeys.publicKey())))),
                InstantSource.system(), pool(relay, nodeKeys), keep(NodeJobJournal.open(dir.resolve("node.db"))),
                network.wallet("node", KeyPair.generate().secretKey()), keep(new EmbeddedRunner()), PROFILE));
        node.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> router.registry().live().size() == 1);

        var clientWallet = network.wallet("client", clientKeys.secretKey());
        network.deposit("client", 1_000_000);
        ClientRole client = keep(new ClientRole(ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())),
                pool(relay, clientKeys), clientWallet, ClientJournal.inMemory()).start());
        JobOutcome outcome = client.submit(JobSubmission.embeddings(List.of("a cat on a mat"), Msat.of(50_000)))
                .get(60, TimeUnit.SECONDS);
        assertThat(outcome.succeeded()).as(outcome.failure()).isTrue();
        assertThat(outcome.node()).contains(PublicKey.of(nodeKeys.publicKey()));

        // a stranger's pool authenticates too, but its key is not admitted: it sees none of the market
        RelayPool stranger = pool(relay, KeyPair.generate());
        List<org.fedai.nostr.Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        stranger.subscribe(List.of(org.fedai.nostr.Filter.builder().kinds(31401).build()),
                new org.fedai.nostr.pool.EventListener() {
                    @Override
                    public void onEvent(org.fedai.nostr.Event e, String url) {
                        seen.add(e);
                    }

                    @Override
                    public void onClosed(String url, String reason) {
                        closed.countDown();
                    }
                });
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).isEmpty();
    }
}
