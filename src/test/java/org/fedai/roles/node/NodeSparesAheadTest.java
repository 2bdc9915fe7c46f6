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
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.payment.SpareBinding;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.SpareInvoice;
import org.fedai.store.InvoiceState;
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
        assertThat(spares).filteredOn(SpareInvoice::hold).as("hold spares, for before, hold and atomic jobs")
                .hasSize(2);

        // the announced router quotes one for a before job, run_on_payment: the client's payment is locked on the
        // quote, and the node settles it as the work starts, once the router's order (sent on accepted) is in too
        SpareInvoice spare = spares.stream().filter(SpareInvoice::hold).findFirst().orElseThrow();
        String job = newJobId();
        String hash = Bolt11Codec.decode(spare.bolt11()).paymentHashHex();
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS.subList(0, 1), ONE_TEXT,
                PaymentTiming.BEFORE).toBuilder().runOnPayment(true).nodeInvoice(spare.bolt11()).build());
        peers.awaitStatus(job, "accepted");
        assertThat(clientWallet.pay(spare.bolt11(), OptionalLong.empty())).as("locked, not yet the node's")
                .isInstanceOf(PayResult.Pending.class);
        peers.publishInput(job, TEXTS.subList(0, 1), Map.of());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID, List.of(hash));
        await().atMost(DEADLINE).until(() -> peers.metering(job).size() == 1);
        await().atMost(DEADLINE).until(() -> clientWallet.lookup(Hex.decode(hash)) instanceof LookupResult.Found f
                && f.state() == InvoiceState.SETTLED);
        assertThat(peers.fromNode(4402, job)).as("the spare was the job's invoice: none sent to the client").isEmpty();

        // the spare taken is made again, on the next sweep or the delivery, and no more: the router holds two again
        await().atMost(DEADLINE).until(() -> held(true) == 2);
        assertThat(held(false)).isEqualTo(2);
        assertThat(journal.spares().unused(hash)).as("the paid spare is used").isEmpty();
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
        assertThat(journal.spares().held(PublicKey.of(peers.router.publicKey()), price, ScriptedPeers.now(), true))
                .as("a before job's spares are hold invoices").isEqualTo(2);
        // the announcement came before the job and its spares: a node asked to would have made its own long before
        assertThat(sparesFor(announced)).as("no spare ahead unless the operator asks (a client pays a spare before"
                + " the node acknowledges its job)").isEmpty();
        assertThat(held(true)).isZero();
    }

    /**
     * A client pays into a hold spare while the node is down (its router quoted it, and then gave the job to another
     * node): after its restart the node finds the payment locked in a spare no job took, and once no quote has taken
     * it within half a minute, cancels it and forgets the spare, so that no late quote can make it a job's. Invariant: a client
     * that pays ends with the result or its money, never with a payment to a node that did no work.
     */
    @Test
    void aPaymentLockedInASpareNoJobTookGoesBackToTheClient() throws Exception {
        nodeSeat.sparesAhead(true);
        startNode(config());
        Event announced = peers.publish(SparesAheadTest.announcement(ScriptedPeers.now(), 3600), peers.router);
        await().atMost(DEADLINE).until(() -> sparesFor(announced).stream().filter(SpareInvoice::hold).count() == 2);
        SpareInvoice spare = sparesFor(announced).stream().filter(SpareInvoice::hold).findFirst().orElseThrow();
        String hash = Bolt11Codec.decode(spare.bolt11()).paymentHashHex();
        long funds = clientWallet.balanceMsat();

        stopNode();
        assertThat(clientWallet.pay(spare.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Pending.class);
        assertThat(clientWallet.balanceMsat()).as("locked").isEqualTo(funds - ONE_TEXT);
        startNode(config());
        // the node learns of it by a lookup beside its start, at a time the test cannot see: the clock moves past the
        // grace on every look, so that whenever it learnt, a minute has passed by a later sweep
        await().atMost(DEADLINE).pollInterval(java.time.Duration.ofMillis(500)).until(() -> {
            clock.advanceSeconds(SpareInvoices.UNTAKEN_GRACE.toSeconds() + 1);
            return clientWallet.lookup(Hex.decode(hash)) instanceof LookupResult.Found f
                    && f.state() == InvoiceState.CANCELLED;
        });
        assertThat(clientWallet.balanceMsat()).as("its money back").isEqualTo(funds);
        assertThat(journal.spares().unused(hash)).as("forgotten: a late quote naming it is an unknown spare").isEmpty();
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
