package org.fedai.roles.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.nip90.Nip90Encryption;
import org.fedai.protocol.nip90.Nip90Feedback;
import org.fedai.protocol.nip90.Nip90Result;
import org.fedai.protocol.nip90.Nip90Status;
import org.fedai.roles.nip90.Nip90Customer;
import org.fedai.roles.nip90.Nip90Gateway;
import org.fedai.roles.nip90.Nip90Tasks;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.store.ClientJournal;
import org.fedai.store.Nip90Journal;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * A NIP-90 customer, written only against NIP-90, uses the real market through the gateway: it posts a request,
 * pays the node's invoice from the payment-required feedback with its own wallet, and gets the 6xxx result; the
 * router verified the payment and countersigned the metering record. Encrypted, underbid and malformed requests too.
 */
@RelayTest
class Nip90GatewayTest extends FlowTest {

    private static Nip90Gateway gateway(FlowMarket m, Path dir) throws Exception {
        return gateway(m, dir, KeyPair.generate());
    }

    private static Nip90Gateway gateway(FlowMarket m, Path dir, KeyPair keys) throws Exception {
        return new Nip90Gateway(Nip90Gateway.Config.of(keys, Map.of(Nip90Tasks.EMBEDDING,
                EmbeddedRunner.EMBEDDING_MODEL)), m.router, m.newPool(), Nip90Journal.open(dir.resolve("nip90.db")),
                ClientJournal.open(dir.resolve("gateway-client.db"))).start();
    }

    @Test
    void aPaidRequestGetsItsResultAndTheFeedbackSequence() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200));
                Nip90Gateway gateway = gateway(m, dir)) {
            m.wallets.deposit("customer", CLIENT_FUNDS);
            try (Nip90Customer customer = new Nip90Customer(KeyPair.generate(), m.newPool(), m.wallets.wallet("customer"))) {
                String plain = customer.post(Nip90Tasks.EMBEDDING, List.of("a cat", "a dog"), Map.of(), OptionalLong.empty(),
                        Nip90Encryption.NONE, "");
                String sealed44 = customer.post(Nip90Tasks.EMBEDDING, List.of("secret"), Map.of(), OptionalLong.of(100_000),
                        Nip90Encryption.NIP44, gateway.publicKey().hex());
                String sealed04 = customer.post(Nip90Tasks.EMBEDDING, List.of("old secret"), Map.of(), OptionalLong.empty(),
                        Nip90Encryption.NIP04, gateway.publicKey().hex());
                await().atMost(WAIT.multipliedBy(2)).until(() -> customer.result(plain) != null
                        && customer.result(sealed44) != null && customer.result(sealed04) != null);

                Nip90Result r = customer.result(plain);
                assertThat(r.kind()).isEqualTo(6700);
                assertThat(r.content()).startsWith("[[");
                assertThat(r.amountMsat()).hasValue(2000);
                assertThat(customer.result(sealed44).encryption()).isEqualTo(Nip90Encryption.NIP44);
                assertThat(customer.result(sealed44).content()).startsWith("[[");
                assertThat(customer.result(sealed04).encryption()).isEqualTo(Nip90Encryption.NIP04);
                await().atMost(WAIT).until(() -> customer.statuses(plain).contains(Nip90Status.SUCCESS));
                assertThat(customer.statuses(plain)).containsSubsequence(Nip90Status.PROCESSING,
                        Nip90Status.PAYMENT_REQUIRED, Nip90Status.SUCCESS);
                // paid peer to peer: the customer's money is at the node, none at the gateway or the router
                assertThat(m.balance("customer")).isEqualTo(CLIENT_FUNDS - 2000 - 1000 - 1000);
                assertThat(m.balance("node")).isEqualTo(4000);
                assertThat(m.balance("router")).isZero();
                await().atMost(WAIT).until(() -> m.ledger.meteringLog().stream()
                        .filter(e -> !e.receiptId().isEmpty()).count() == 3);
            }
        }
    }

    @Test
    void anUnderbidAndAMalformedRequestGetAnErrorAndNothingIsPaid() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200));
                Nip90Gateway gateway = gateway(m, dir)) {
            m.wallets.deposit("customer", CLIENT_FUNDS);
            try (Nip90Customer customer = new Nip90Customer(KeyPair.generate(), m.newPool(), m.wallets.wallet("customer"))) {
                String underbid = customer.post(Nip90Tasks.EMBEDDING, List.of("a cat"), Map.of(), OptionalLong.of(10),
                        Nip90Encryption.NONE, "");
                Event malformed = EventSigner.sign(new UnsignedEvent(System.currentTimeMillis() / 1000,
                        Nip90Tasks.EMBEDDING, List.of(List.of("i", "x", "carrier-pigeon")), ""), customer.keys());
                customer.post(malformed);
                String good = customer.post(Nip90Tasks.EMBEDDING, List.of("still served"), Map.of(), OptionalLong.empty(),
                        Nip90Encryption.NONE, "");

                await().atMost(WAIT).until(() -> customer.result(good) != null
                        && customer.statuses(underbid).contains(Nip90Status.ERROR)
                        && customer.statuses(malformed.id()).contains(Nip90Status.ERROR));
                Nip90Feedback refusal = customer.feedback(underbid).get(0);
                assertThat(refusal.extraInfo()).startsWith("bid_below_price");
                assertThat(refusal.amountMsat()).hasValue(1000);
                assertThat(customer.feedback(malformed.id()).get(0).extraInfo()).startsWith("malformed").contains("input type");
                assertThat(m.balance("customer")).isEqualTo(CLIENT_FUNDS - 1000);
                assertThat(gateway.counters().get("5700:bid_below_price")).isEqualTo(1);
                assertThat(gateway.counters().get("5700:malformed_tag")).isEqualTo(1);
            }
        }
    }

    @Test
    void aGatewayRestartedWhileItsCustomerPaysStillAnswersOnce() throws Exception {
        KeyPair keys = KeyPair.generate();
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200))) {
            m.wallets.deposit("customer", CLIENT_FUNDS);
            try (Nip90Customer customer = new Nip90Customer(KeyPair.generate(), m.newPool(),
                    m.wallets.wallet("customer"))) {
                customer.holdPayments();
                String request;
                try (Nip90Gateway first = gateway(m, dir, keys)) {
                    request = customer.post(Nip90Tasks.EMBEDDING, List.of("paid while the gateway was down"),
                            Map.of(), OptionalLong.empty(), Nip90Encryption.NONE, "");
                    await().atMost(WAIT).until(() -> customer.statuses(request)
                            .contains(Nip90Status.PAYMENT_REQUIRED));
                }
                customer.payHeld(); // the node sees it settled and reveals it to nobody listening
                await().atMost(WAIT).until(() -> m.balance("node") == 1000);
                try (Nip90Gateway second = gateway(m, dir, keys)) {
                    await().atMost(WAIT.multipliedBy(2)).until(() -> customer.answered(request));
                    assertThat(customer.result(request)).isNotNull();
                    assertThat(customer.result(request).content()).startsWith("[[");
                    assertThat(second.requests()).singleElement()
                            .satisfies(r -> assertThat(r.state()).isEqualTo(Nip90Journal.State.ANSWERED));
                }
                assertThat(m.balance("customer")).isEqualTo(CLIENT_FUNDS - 1000);
                assertThat(m.runner.runs.get()).isEqualTo(1);
            }
        }
    }
}
