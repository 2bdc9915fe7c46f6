package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Heartbeat;
import org.fedai.protocol.HeartbeatCodec;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.WorkOrder;
import org.fedai.roles.router.machine.RouterTiming;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterQuoteRow;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;

/** Free work: quoted free, ordered on 'accepted' without invoice or proof, metered at zero; never for a price. */
@RelayTest
class RouterFreeJobTest extends MarketFixtureTest {

    /** A node that gives the model away: price 0, minimum 0, payment timing {@code free}. */
    private ScriptedPeer freeNode(String name) {
        ScriptedPeer node = market.peer(name);
        CapabilityManifest priced = MarketFixture.manifest(name, 0, Set.of(PaymentTiming.FREE), node.wallet.nodeId());
        CapabilityManifest free = new CapabilityManifest(priced.nodeId(), priced.software(), priced.roles(),
                priced.models(), List.of(new CapabilityManifest.Price(MarketFixture.MODEL, "text", 0, 0)),
                priced.limits(), priced.payment(), priced.bands(), Map.of(), List.of(), priced.expiresAt());
        node.publish(CapabilityManifestCodec.encode(free, node.now()));
        node.publish(HeartbeatCodec.encode(new Heartbeat("31400:" + node.pubkey() + ":" + name, 0, 0, 0.1, 30),
                node.now()));
        return node;
    }

    @Test
    void freeJobIsOrderedOnAcceptAndMeteredAtZero() {
        ScriptedPeer node = freeNode("free-node");
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(node);

        assertThat(market.announcement().payment().timing()).contains(PaymentTiming.FREE);
        Event spec = market.spec(client, 0, PaymentTiming.FREE, JobRequest.Constraints.none());
        Quote quote = market.quote(client, spec.id(), 1);
        assertThat(quote.timing()).isEqualTo(PaymentTiming.FREE);
        assertThat(quote.totalMsat()).isZero();
        assertThat(quote.routerFeeInvoice()).isEmpty();
        market.status(node, market.quote(node, spec.id(), 1), JobStatus.State.ACCEPTED);
        WorkOrder order = market.workOrder(node, spec.id());
        assertThat(order.authorization()).isEqualTo(WorkAuthorization.FREE);
        assertThat(order.paymentHashes()).isEmpty();
        assertThat(market.ledger.debt(JobId.of(spec.id()))).isEmpty();

        Event record = market.meter(node, quote, 0, List.of());
        assertThat(market.receipt(client, record.id()).priceMsat()).isZero();
        assertThat(market.ledger.job(JobId.of(spec.id())).orElseThrow().state()).isEqualTo(RouterJobState.METERED);

        // nothing was invoiced: a proof for free work is refused
        market.proof(client, spec.id(), List.of(new PaymentProof.Paid("lnbcrt1free", "11".repeat(32))));
        market.awaitCount("4403:free_job", 1);
        assertThat(router.registry().stats(node.key()).successes()).isEqualTo(1);
    }

    @Test
    void aFreeSpecIsNeverQuotedAPrice() {
        ScriptedPeer priced = market.node("priced", 1000, Set.of(PaymentTiming.BEFORE, PaymentTiming.FREE));
        ScriptedPeer client = market.client("client");
        market.startRouter();
        market.awaitLive(priced);

        Event spec = market.spec(client, 0, PaymentTiming.FREE, JobRequest.Constraints.none());
        market.awaitCount("4400:over_max_price", 1);
        assertThat(market.quotes(client, spec.id())).isZero();
        assertThat(market.quotes(priced, spec.id())).isZero();
    }

    @Test
    void aPricedJobIsNotOrderedOnAccept() {
        ScriptedPeer priced = market.node("priced", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        market.startRouter();
        market.awaitLive(priced);

        Event spec = market.spec(client);
        Quote quote = market.quote(priced, spec.id(), 1);
        assertThat(quote.timing()).isEqualTo(PaymentTiming.BEFORE);
        market.status(priced, quote, JobStatus.State.ACCEPTED);
        org.awaitility.Awaitility.await().atMost(ScriptedPeer.WAIT).until(() ->
                market.ledger.job(JobId.of(spec.id())).orElseThrow().state() == RouterJobState.ACCEPTED);
        assertThat(market.ledger.workOrder(JobId.of(spec.id()))).isEmpty();
    }

    @Test
    void onlyAQuoteThatPricesNothingIsAuthorisedFree() {
        assertThat(onAccept(PaymentTiming.FREE, 0, 0)).contains(WorkAuthorization.FREE);
        // a journalled quote that says free but carries a price (a bug or a tampered ledger) gets no work order
        assertThat(onAccept(PaymentTiming.FREE, 1000, 0)).isEmpty();
        assertThat(onAccept(PaymentTiming.FREE, 0, 100)).isEmpty();
        assertThat(onAccept(PaymentTiming.BEFORE, 1000, 100)).isEmpty();
        assertThat(onAccept(PaymentTiming.BEFORE, 0, 0)).isEmpty();
        // invariant "a node is held only to what it received": after and atomic are ordered on input_received
        assertThat(onAccept(PaymentTiming.AFTER, 1000, 100)).isEmpty();
        assertThat(onAccept(PaymentTiming.ATOMIC, 1000, 100)).isEmpty();
        assertThat(RouterTiming.of(PaymentTiming.AFTER).ordersOnInput()).isTrue();
        assertThat(RouterTiming.of(PaymentTiming.ATOMIC).ordersOnInput()).isTrue();
        assertThat(onAccept(PaymentTiming.HOLD, 1000, 100)).contains(WorkAuthorization.HOLD);
    }

    private static java.util.Optional<WorkAuthorization> onAccept(PaymentTiming timing, long price, long fee) {
        return RouterTiming.of(timing).orderOnAccept(row(timing, price, fee));
    }

    private static RouterQuoteRow row(PaymentTiming timing, long price, long fee) {
        String k = "ab".repeat(32);
        return RouterQuoteRow.builder().copies(EventId.of(k), EventId.of(k)).job(JobId.of(k), PublicKey.of(k), timing)
                .node(PublicKey.of(k), java.util.Optional.empty(), "02" + k, "regtest")
                .price(Msat.of(price), Msat.of(fee), "", "").build();
    }
}
