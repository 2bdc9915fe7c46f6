package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.node.ScriptedPeers.DEADLINE;
import static org.fedai.roles.node.ScriptedPeers.newJobId;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Invoice;
import org.fedai.payment.PayResult;
import org.fedai.payment.SpareBinding;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.SpareInvoice;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * Spare invoices kept ahead (4402-invoice.md, "Spare invoices"): a node hands a router it serves two spares of each
 * kind at the price of one text as soon as it holds the router's announcement, so the first such job that router
 * quotes goes the way a returning client's does, when its operator asks for it ({@code fedai node --spares-ahead});
 * and it makes every spare missing at once, not one per delivery.
 */
@RelayTest
class NodeSparesAheadTest extends NodeRoleFixture {

    private static final long ONE_TEXT = 1000;

    @Test
    void aRouterAnnouncementBringsTwoSparesOfEachKindAtTheOneTextPriceAndATakenOneIsMadeAgain() throws Exception {
        nodeSeat.sparesAhead(true); // fedai node --spares-ahead
        startNode(config());
        Event announced = peers.publish(SparesAheadTest.announcement(ScriptedPeers.now(), 3600), peers.router);
        await().atMost(DEADLINE).until(() -> sparesFor(announced).size() == 4);
        List<SpareInvoice> spares = sparesFor(announced);
        SpareBinding binding = new SpareBinding(peers.router.publicKey());
        assertThat(spares).allSatisfy(s -> {
            Bolt11Invoice bolt11 = Bolt11Codec.decode(s.bolt11());
            assertThat(s.amountMsat()).isEqualTo(ONE_TEXT);
            assertThat(bolt11.amountMsat()).hasValue(ONE_TEXT);
            assertThat(bolt11.payeeHex()).isEqualTo(nodeWallet.nodeId());
            assertThat(binding.boundTo(bolt11)).as("bound to the announced router, not to a job").isTrue();
        });
        assertThat(spares).filteredOn(SpareInvoice::hold).as("hold spares, for hold and atomic jobs").hasSize(2);

        // the announced router quotes one of them: the client pays it on the quote and the node runs on the order
        SpareInvoice plain = spares.stream().filter(s -> !s.hold()).findFirst().orElseThrow();
        String job = newJobId();
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS.subList(0, 1), ONE_TEXT,
                PaymentTiming.BEFORE).toBuilder().nodeInvoice(plain.bolt11()).build());
        peers.awaitStatus(job, "accepted");
        PayResult.Paid paid = (PayResult.Paid) clientWallet.pay(plain.bolt11(), OptionalLong.empty());
        peers.publishInput(job, TEXTS.subList(0, 1), Map.of());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID,
                List.of(Hex.encode(paid.paymentHash())));
        await().atMost(DEADLINE).until(() -> peers.metering(job).size() == 1);
        assertThat(peers.fromNode(4402, job)).as("the spare was the job's invoice: none sent to the client").isEmpty();

        // the spare taken is made again, on the next sweep or the delivery, and no more: the router holds two again
        await().atMost(DEADLINE).until(() -> held(false) == 2);
        assertThat(held(true)).isEqualTo(2);
        assertThat(journal.spares().unused(Hex.encode(paid.paymentHash()))).as("the paid spare is used").isEmpty();
    }

    @Test
    void aDeliveryMakesEverySpareMissingAtOnceAndANodeNotAskedMakesNoneAhead() throws Exception {
        startNode(config().withTimings(Set.of(PaymentTiming.BEFORE))); // without --spares-ahead, the default
        Event announced = peers.publish(SparesAheadTest.announcement(ScriptedPeers.now(), 3600), peers.router);
        String job = newJobId();
        Event quote = quotedAndPaid(job, TEXTS, MODEL, "embedding", Map.of());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID,
                List.of(Bolt11Codec.decode(peers.awaitInvoice(job).bolt11()).paymentHashHex()));
        // two texts: a price no announcement foresaw, so the delivery is the first to ask for spares at it
        Msat price = Msat.of(TEXTS.size() * ONE_TEXT);
        await().atMost(DEADLINE).until(() -> sparesTo(peers.router).stream()
                .filter(s -> s.amountMsat() == price.value()).count() == 2);
        assertThat(journal.spares().held(PublicKey.of(peers.router.publicKey()), price, ScriptedPeers.now(), false))
                .isEqualTo(2);
        // the announcement came before the job and its spares: a node asked to would have made its own long before
        assertThat(sparesFor(announced)).as("no spare ahead unless the operator asks (a client pays a spare before"
                + " the node acknowledges its job)").isEmpty();
        assertThat(held(false)).isZero();
    }

    private long held(boolean hold) {
        return journal.spares().held(PublicKey.of(peers.router.publicKey()), Msat.of(ONE_TEXT), ScriptedPeers.now(),
                hold);
    }

    /** The spares the node sealed to the router, labelled with {@code announcement}. */
    private List<SpareInvoice> sparesFor(Event announcement) {
        return sparesTo(peers.router).stream().filter(s -> s.madeOnJob().equals(announcement.id())).toList();
    }

    private List<SpareInvoice> sparesTo(KeyPair router) {
        return peers.fromNode(4402, null).stream()
                .map(e -> PaymentCodecs.decodeSpare(e, router, ScriptedPeers.now()))
                .filter(d -> d instanceof Decoded.Accepted<SpareInvoice>).map(Decoded::orElseThrow).toList();
    }
}
