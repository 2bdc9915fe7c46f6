package org.fedai.roles;

import org.fedai.domain.Msat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.InMemoryRelay;
import org.fedai.payment.DevWalletNetwork;
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
import org.fedai.runner.EmbeddedRunner;
import org.fedai.runner.profile.CapabilityBands;
import org.fedai.runner.profile.CapabilityProfile;
import org.fedai.store.ClientJournal;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.RouterLedger;
import org.fedai.store.SqlitePaymentHashRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole market (router, node, client, each with its own wallet account) meeting on an {@link InMemoryRelay}: no
 * socket, the same roles, the same subscription delivery. Paid jobs of every timing the node offers complete, and
 * the money moves exactly as quoted.
 */
class InMemoryMarketTest {

    private static final String MODEL = "cl100k_base"; // token chunking: no embedding model to load
    private static final long PRICE_PER_TEXT = 700;

    @TempDir
    Path dir;

    @Test
    void paidJobsOfEveryTimingCompleteOverTheInMemoryRelayAndTheClientPaysExactlyWhatWasQuoted() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        try (InMemoryRelay relay = new InMemoryRelay();
                DevWalletNetwork wallets = DevWalletNetwork.open(dir.resolve("wallets.db"))) {
            KeyPair routerKeys = KeyPair.generate();
            RouterRole router = keep(closing, new RouterRole(RouterConfig.defaults(routerKeys).withRouterId("mem")
                    .withRelays(List.of(InMemoryRelay.URL)), relay, keep(closing, RouterLedger.open(dir.resolve("r.db"))),
                    keep(closing, SqlitePaymentHashRegistry.inMemory()),
                    wallets.wallet("router", KeyPair.generate().secretKey())));
            router.start();
            NodeConfig config = NodeConfig.defaults(KeyPair.generate(), "mem-node").withPricing(Msat.of(PRICE_PER_TEXT), Msat.of(0))
                    .withRelays(List.of(InMemoryRelay.URL)).withRouters(RouterTrust.only(Set.of(PublicKey.of(routerKeys.publicKey()))))
                    .withTimings(Set.of(PaymentTiming.BEFORE, PaymentTiming.AFTER, PaymentTiming.HOLD,
                            PaymentTiming.ATOMIC, PaymentTiming.PARTIAL))
                    // the node finds held payments (hold, atomic, each part) on its sweep: a short one keeps this quick
                    .withSweepInterval(Duration.ofMillis(100));
            NodeRole node = keep(closing, new NodeRole(config, InstantSource.system(), relay,
                    keep(closing, NodeJobJournal.inMemory()), wallets.wallet("node", KeyPair.generate().secretKey()),
                    keep(closing, new EmbeddedRunner()), profile()));
            node.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> router.registry().live().size() == 1);

            var clientWallet = wallets.wallet("client", KeyPair.generate().secretKey());
            wallets.deposit("client", 1_000_000);
            ClientRole client = keep(closing, new ClientRole(new ClientConfig(KeyPair.generate(),
                    List.of(PublicKey.of(routerKeys.publicKey())), Duration.ofSeconds(5), Duration.ofSeconds(2),
                    InstantSource.system()), relay, clientWallet, keep(closing, ClientJournal.inMemory())));
            client.start();

            long paid = 0;
            for (PaymentTiming timing : List.of(PaymentTiming.BEFORE, PaymentTiming.AFTER, PaymentTiming.HOLD,
                    PaymentTiming.ATOMIC, PaymentTiming.PARTIAL)) {
                JobOutcome outcome = client.submit(new JobSubmission(MODEL, "chunk", List.of("one text", "and two"),
                        Map.of(), Msat.of(100_000), JobRequest.Constraints.none(), timing, 30)).get(30, TimeUnit.SECONDS);
                assertThat(outcome.succeeded()).as(timing + ": " + outcome.failure()).isTrue();
                assertThat(outcome.nodePrice().value()).isEqualTo(2 * PRICE_PER_TEXT);
                paid += outcome.nodePrice().value() + outcome.routerFee().value();
            }
            assertThat(wallets.balance("client")).isEqualTo(1_000_000 - paid);
            assertThat(relay.published()).isPositive();
            assertThat(node.rejected("internal_error")).isZero();
        } finally {
            for (int i = closing.size() - 1; i >= 0; i--) {
                closing.get(i).close();
            }
        }
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> closing, T closeable) {
        closing.add(closeable);
        return closeable;
    }

    private static CapabilityProfile profile() {
        return new CapabilityProfile("fedai test", new CapabilityBands("linux-x86_64", CapabilityBands.Size.SMALL,
                CapabilityBands.Size.MEDIUM, CapabilityBands.Size.SMALL, CapabilityBands.Gpu.NONE,
                CapabilityBands.Simd.AVX2), List.of(), Optional.empty(), Optional.empty());
    }
}
