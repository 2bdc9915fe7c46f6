package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.InMemoryEventStore;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.store.RouterLedger;
import org.fedai.store.SqlitePaymentHashRegistry;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outages: every relay is down longer than the router's publish deadline (the pool's own resend gives up); an
 * event the router signed meanwhile (a quote, an order, a receipt) is published again until the relay is back.
 */
@RelayTest
class RouterRepublishTest {

    @TempDir
    Path dir;

    @Test
    void anEventNoRelayTookGoesOutAgainOnceARelayIsBack() throws Exception {
        EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults(), new InMemoryEventStore()).start();
        int port = relay.port();
        KeyPair keys = KeyPair.generate();
        RouterConfig config = RouterConfig.builder(keys).publishDeadline(Duration.ofMillis(300))
                .relays(List.of(relay.url())).build();
        try (RelayPool pool = new RelayPool(RelayPoolConfig.defaults().withReconnect(Duration.ofMillis(20),
                Duration.ofMillis(200)));
                DevWalletNetwork wallets = DevWalletNetwork.open(dir.resolve("wallets.db"));
                RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"));
                SqlitePaymentHashRegistry spent = SqlitePaymentHashRegistry.open(dir.resolve("router.db"));
                RouterRole router = new RouterRole(config, pool, ledger, spent,
                        wallets.wallet("router", KeyPair.generate().secretKey()))) {
            pool.addRelay(relay.url());
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.health().get(0).connected());
            relay.close();

            Event signed = EventSigner.sign(new UnsignedEvent(System.currentTimeMillis() / 1000, 4408, List.of(),
                    "signed while every relay was down"), keys);
            router.publish(signed);
            // past the pool's own deadline (300 ms): the pool has forgotten it, the router has not
            await().atMost(Duration.ofSeconds(30)).until(() -> router.activity().get("4408:republish") >= 1);

            EmbeddedRelay back = new EmbeddedRelay(RelayConfig.defaults().withPort(port), new InMemoryEventStore())
                    .start();
            try (back) {
                await().atMost(Duration.ofSeconds(60)).until(() -> back.store().size() == 1);
            }
        }
    }
}
