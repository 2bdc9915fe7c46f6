package org.fedai.roles.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.protocol.nip90.Nip90Encryption;
import org.fedai.roles.nip90.Nip90Customer;
import org.fedai.roles.nip90.Nip90Gateway;
import org.fedai.roles.nip90.Nip90Tasks;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.store.ClientJournal;
import org.fedai.store.Nip90Journal;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * How many relay hops a NIP-90 customer waits on through the gateway (issue 17), counted as the market's are
 * (CriticalPathHopsTest): the relay holds every delivery back by D, and hops = (latency at D - latency at 0) / D, the
 * fastest of a few requests each side. Wallets are in process here (a payment costs no hop) and the node sweeps only
 * every ten minutes, so only hops move the request. The path: request -> spec (carrying the input, sealed for the
 * candidate nodes) -> quote (both copies: external carries no fee; the gateway's carries the node's spare invoice, the
 * node's the input) -> payment-required -> (the customer pays; the node's wallet reports it and, the quote saying
 * run_on_payment, the node runs) -> result to the gateway -> the 6xxx result. Before run_on_payment the node's reveal,
 * the gateway's proof and the router's work order stood between the payment and the run: three hops more; before
 * spare invoices the node's 4402 to the gateway stood between the quote and the payment-required: one more.
 */
@RelayTest
class Nip90HopsTest extends FlowTest {

    private static final Duration D = Duration.ofMillis(200);
    private static final int REQUESTS = 3;

    @Test
    void aPaidRequestWaitsOnSixHops() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMinutes(10));
                Nip90Gateway gateway = gateway(m, dir)) {
            m.wallets.deposit("customer", CLIENT_FUNDS);
            try (Nip90Customer customer = new Nip90Customer(KeyPair.generate(), m.newPool(),
                    m.wallets.wallet("customer"))) {
                EmbeddedRelay relay = m.market.relay();
                fastest(customer, 2); // warm-up: the model, the gateway's first quote
                long at0 = fastest(customer, REQUESTS);
                relay.setDeliveryDelay(D);
                long atD;
                try {
                    atD = fastest(customer, REQUESTS);
                } finally {
                    relay.setDeliveryDelay(Duration.ZERO);
                }
                double hops = (atD - at0) / (double) D.toNanos();
                String measured = String.format(Locale.ROOT, "(%.1f ms at %d ms a hop - %.1f ms at 0) / %d ms = %.2f hops",
                        atD / 1e6, D.toMillis(), at0 / 1e6, D.toMillis(), hops);
                System.out.println("NIP-90 through the gateway: " + measured);
                assertThat(Math.round(hops)).as(measured).isEqualTo(6);
            }
        }
    }

    /** The fastest of {@code n} requests, one after the other, from post to result, in nanoseconds. */
    private static long fastest(Nip90Customer customer, int n) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            String id = customer.post(Nip90Tasks.EMBEDDING, List.of("a cat " + i + " " + start), Map.of(),
                    OptionalLong.empty(), Nip90Encryption.NONE, "");
            await().pollInterval(Duration.ofMillis(1)).atMost(WAIT).until(() -> customer.result(id) != null);
            best = Math.min(best, System.nanoTime() - start);
        }
        return best;
    }

    private static Nip90Gateway gateway(FlowMarket m, Path dir) throws Exception {
        return new Nip90Gateway(Nip90Gateway.Config.of(KeyPair.generate(), Map.of(Nip90Tasks.EMBEDDING,
                EmbeddedRunner.EMBEDDING_MODEL)), m.router, m.newPool(), Nip90Journal.open(dir.resolve("nip90.db")),
                ClientJournal.open(dir.resolve("gateway-client.db"))).start();
    }
}
