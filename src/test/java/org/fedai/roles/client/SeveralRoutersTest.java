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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.roles.node.AnnouncedRouters;
import org.fedai.roles.node.NodeConfig;
import org.fedai.roles.node.NodeRole;
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
 * Two real routers, one real node serving both (it takes quotes from every announced router), one real client
 * naming both: with both up the client's job goes through the first; with the first stopped it goes through the
 * second after the quote timeout. All on one embedded relay with a real dev wallet and the real MiniLM runner.
 */
@RelayTest
class SeveralRoutersTest {

    private static final List<String> TEXTS = List.of("a cat on a mat", "Lightning pays for compute");
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

    private RelayPool pool(EmbeddedRelay relay) {
        RelayPool pool = keep(new RelayPool());
        pool.addRelay(relay.url());
        return pool;
    }

    private RouterRole router(String id, EmbeddedRelay relay, DevWalletNetwork network) {
        RouterConfig config = RouterConfig.defaults(KeyPair.generate()).withRouterId(id)
                .withRelays(List.of(relay.url())).withAcceptTimeout(Duration.ofSeconds(5));
        RouterLedger ledger = keep(RouterLedger.open(dir.resolve(id + ".db")));
        RouterRole router = keep(new RouterRole(config, pool(relay), ledger,
                keep(SqlitePaymentHashRegistry.open(dir.resolve(id + ".db"))), network.wallet(id,
                        KeyPair.generate().secretKey())));
        router.start();
        return router;
    }

    @Test
    void aNodeServesBothRoutersAndAClientFailsOverWhenTheFirstIsStopped() throws Exception {
        EmbeddedRelay relay = keep(EmbeddedRelay.inMemory().start());
        DevWalletNetwork network = keep(DevWalletNetwork.open(dir.resolve("wallet.db")));
        RouterRole first = router("router-1", relay, network);
        RouterRole second = router("router-2", relay, network);

        RelayPool nodePool = pool(relay);
        AnnouncedRouters trusted = keep(new AnnouncedRouters(nodePool, AnnouncedRouters.Policy.ANY_ANNOUNCED,
                InstantSource.system()).start());
        KeyPair nodeKeys = KeyPair.generate();
        NodeRole node = keep(new NodeRole(NodeConfig.defaults(nodeKeys, "node-a").withPricing(Msat.of(1000), Msat.of(1000))
                .withHeartbeatInterval(Duration.ofSeconds(5)).withSweepInterval(Duration.ofMillis(200))
                .withRelays(List.of(relay.url())).withRouters(trusted), InstantSource.system(), nodePool,
                keep(NodeJobJournal.open(dir.resolve("node.db"))), network.wallet("node",
                        KeyPair.generate().secretKey()), keep(new EmbeddedRunner()), PROFILE));
        node.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> trusted.trusted().equals(
                java.util.Set.of(first.publicKey(), second.publicKey())));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.registry().live().size() == 1
                && second.registry().live().size() == 1);

        KeyPair clientKeys = KeyPair.generate();
        var clientWallet = network.wallet("client", clientKeys.secretKey());
        network.deposit("client", 1_000_000);
        ClientRole client = keep(new ClientRole(ClientConfig.of(clientKeys,
                List.of(first.publicKey(), second.publicKey())).withQuoteTimeout(Duration.ofSeconds(2)),
                pool(relay), clientWallet, ClientJournal.inMemory()).start());
        List<String> steps = new CopyOnWriteArrayList<>();
        client.onProgress((job, step) -> steps.add(step));

        JobOutcome viaFirst = client.submit(JobSubmission.embeddings(TEXTS, Msat.of(50_000))).get(60, TimeUnit.SECONDS);
        assertThat(viaFirst.succeeded()).as(viaFirst.failure()).isTrue();
        assertThat(viaFirst.node()).contains(PublicKey.of(nodeKeys.publicKey()));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.jobs().size() == 1
                && first.jobs().get(0).ledgerSeq() == 1);
        assertThat(second.jobs()).isEmpty();

        first.close(); // the first router goes away; the client still names it first
        JobOutcome viaSecond = client.submit(JobSubmission.embeddings(TEXTS, Msat.of(50_000))).get(60, TimeUnit.SECONDS);
        assertThat(viaSecond.succeeded()).as(viaSecond.failure()).isTrue();
        assertThat(viaSecond.node()).contains(PublicKey.of(nodeKeys.publicKey()));
        await().atMost(Duration.ofSeconds(10)).until(() -> second.jobs().size() == 1
                && second.jobs().get(0).ledgerSeq() == 1);
        assertThat(steps).anyMatch(s -> s.contains("trying the next router"));
        assertThat(client.rejections()).doesNotContainKeys("quote_from_another_router", "quote_after_failover");
        assertThat(node.rejected("internal_error")).isZero();
    }
}
