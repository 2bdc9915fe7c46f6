package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.InMemoryEventStore;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.Durability;
import org.fedai.store.Outbound;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.store.SqlitePaymentHashRegistry;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's outbox: a transition's writes and the events it signed commit in one transaction, and what a crash
 * stopped between that commit and the relay is published when the router starts again. Invariant: "a client that
 * paid gets its work order", even when the router dies the instant after journalling it.
 */
@RelayTest
class RouterOutboxTest {

    @TempDir
    Path dir;

    @Test
    void aWorkOrderJournalledBeforeACrashIsPublishedWhenTheRouterStartsAgain() throws Exception {
        KeyPair keys = KeyPair.generate();
        String node = KeyPair.generate().publicKey();
        String job = "ab".repeat(32);
        long now = System.currentTimeMillis() / 1000;
        Event order = EventSigner.sign(PaymentCodecs.encodeWorkOrder(new WorkOrder(job, "cd".repeat(32),
                KeyPair.generate().publicKey(), WorkAuthorization.PAID, List.of("ef".repeat(32)), now + 60),
                keys, node, now), keys);
        try (RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"))) {
            // the transition as JobEffects commits it; the process dies before the relay hears of it
            ledger.atomically(Durability.SYNCED, () -> {
                ledger.openJob(JobId.of(job), PublicKey.of("cc".repeat(32)), "{}", now);
                ledger.queueOutbound(List.of(Outbound.of(EventId.of(order.id()), JobId.of(job), EventJson.toJson(order))));
            });
        }
        try (EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults(), new InMemoryEventStore()).start();
                RelayPool pool = new RelayPool(RelayPoolConfig.defaults());
                DevWalletNetwork wallets = DevWalletNetwork.open(dir.resolve("wallets.db"));
                RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"));
                SqlitePaymentHashRegistry spent = SqlitePaymentHashRegistry.open(dir.resolve("router.db"));
                RouterRole router = new RouterRole(RouterConfig.defaults(keys).withRelays(List.of(relay.url())), pool,
                        ledger, spent, wallets.wallet("router", KeyPair.generate().secretKey()))) {
            pool.addRelay(relay.url());
            assertThat(ledger.unpublished()).extracting(Outbound::eventId).containsExactly(EventId.of(order.id()));
            router.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !relay.store().query(Filter.builder()
                    .ids(order.id()).build(), now, 10).isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.unpublished().isEmpty());
        }
    }

    @Test
    void aTransitionThatFailsHalfwayLeavesNeitherItsWritesNorItsEvents() {
        try (RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"))) {
            String job = "ab".repeat(32);
            try {
                ledger.atomically(Durability.SYNCED, () -> {
                    ledger.openJob(JobId.of(job), PublicKey.of("cc".repeat(32)), "{}", 1);
                    ledger.setState(JobId.of(job), RouterJobState.FAILED, "on its way");
                    ledger.queueOutbound(List.of(Outbound.of(EventId.of("ee".repeat(32)), JobId.of(job), "{}")));
                    throw new IllegalStateException("the disk filled up");
                });
            } catch (IllegalStateException expected) {
                // what a real failure mid-transition looks like to the caller
            }
            assertThat(ledger.job(JobId.of(job))).isEmpty();
            assertThat(ledger.unpublished()).isEmpty();
        }
    }
}
