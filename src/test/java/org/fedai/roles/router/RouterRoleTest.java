package org.fedai.roles.router;

import java.util.List;
import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.MeteringReceipt;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.RouterAnnouncementCodec;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.RouterJobState;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The router on a real relay, with real wallets and the node and client played by the test (market-flow.md). */
@RelayTest
class RouterRoleTest extends MarketFixtureTest {

    @Test
    void routesAPaidJobFromSpecToReceipt() {
        ScriptedPeer node = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        List<Event> heartbeats = new java.util.concurrent.CopyOnWriteArrayList<>();
        market.peers.subscribe(List.of(org.fedai.nostr.Filter.builder().kinds(24400)
                .authors(market.routerKeys.publicKey()).build()), (e, r) -> heartbeats.add(e));
        RouterRole router = market.startRouter();
        List<RoutedJob> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        router.onOutcome(outcomes::add);
        market.awaitLive(node);

        await().atMost(ScriptedPeer.WAIT).until(() -> !heartbeats.isEmpty());
        assertThat(org.fedai.protocol.HeartbeatCodec.decode(heartbeats.get(0), client.now()).orElseThrow().address())
                .isEqualTo("31401:" + router.publicKey() + ":router");
        RouterAnnouncement announced = market.announcement();
        assertThat(announced.payment().lightningPubkey()).isEqualTo(market.routerWallet().nodeId());
        assertThat(announced.fee()).isEqualTo(new RouterAnnouncement.Fee(100, 10_000));
        assertThat(announced.probation().state()).isEqualTo(RouterAnnouncement.ProbationState.PROBATION);
        Event spec = market.spec(client);
        Quote toClient = market.quote(client, spec.id(), 1);
        Quote toNode = market.quote(node, spec.id(), 1);
        assertThat(toNode).as("the client's, less the fee invoice").isEqualTo(MarketFixture.nodeCopyOf(toClient));
        assertThat(toClient.node()).isEqualTo(node.pubkey());
        assertThat(toClient.nodePriceMsat()).isEqualTo(2000); // 2 texts at 1000 msat
        assertThat(toClient.routerFeeMsat()).isEqualTo(120); // 100 + 2000 * 1 %
        assertThat(toClient.routerFeeInvoice()).startsWith("lnbcrt");

        market.status(node, toNode, JobStatus.State.ACCEPTED);
        PaymentProof.Paid nodePaid = MarketFixture.pay(client, market.invoice(node, toNode));
        PaymentProof.Paid feePaid = MarketFixture.pay(client, toClient.routerFeeInvoice());
        market.proof(client, spec.id(), List.of(nodePaid, feePaid));

        WorkOrder order = market.workOrder(node, spec.id());
        assertThat(order.authorization()).isEqualTo(WorkAuthorization.PAID);
        assertThat(order.paymentHashes()).hasSize(2);
        assertThat(order.client()).isEqualTo(client.pubkey());

        String nodeHash = org.fedai.payment.Bolt11Codec.decode(nodePaid.bolt11()).paymentHashHex();
        Event record = market.meter(node, toNode, 2000, List.of(nodeHash));
        MeteringReceipt toNodeReceipt = market.receipt(node, record.id());
        MeteringReceipt toClientReceipt = market.receipt(client, record.id());
        assertThat(toNodeReceipt).isEqualTo(toClientReceipt);
        assertThat(toNodeReceipt.ledgerSequence()).isEqualTo(1);
        assertThat(toNodeReceipt.priceMsat()).isEqualTo(2000);

        await().atMost(ScriptedPeer.WAIT).until(() -> !outcomes.isEmpty());
        RoutedJob job = outcomes.get(0);
        assertThat(router.jobs()).containsExactly(job);
        assertThat(job.state()).isEqualTo(RouterJobState.METERED);
        assertThat(job.latencyMs()).isPositive();
        assertThat(router.registry().stats(node.key()).ewmaLatencyMs()).isEqualTo(job.latencyMs());
        assertThat(job.paid()).isTrue();
        assertThat(job.node()).isEqualTo(PublicKey.of(node.pubkey()));
        assertThat(job.ledgerSeq()).isEqualTo(1);
        assertThat(market.ledger.totals().meteredAmount()).isEqualTo(Msat.of(2000));
        assertThat(market.ledger.totals().feesVerified()).isEqualTo(Msat.of(120));
        assertThat(router.registry().stats(node.key()).successes()).isEqualTo(1);
        // the router took only its fee; the node's price went straight to the node
        assertThat(market.network.balance("router")).isEqualTo(120);
        assertThat(market.network.balance("node-a")).isEqualTo(2000);
    }

    @Test
    void aNodeErrorFailsTheJobAndCountsAgainstTheNode() {
        ScriptedPeer node = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        List<RoutedJob> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        router.onOutcome(outcomes::add);
        market.awaitLive(node);

        Event spec = market.spec(client);
        Quote quote = market.quote(node, spec.id(), 1);
        market.status(node, quote, JobStatus.State.ACCEPTED);
        market.status(node, quote, JobStatus.State.INPUT_RECEIVED); // it had all it needed: the error is its own
        market.status(node, quote, JobStatus.State.ERROR);
        await().atMost(ScriptedPeer.WAIT).until(() -> !outcomes.isEmpty());
        assertThat(outcomes.get(0).state()).isEqualTo(RouterJobState.FAILED);
        assertThat(outcomes.get(0).paid()).isFalse();
        assertThat(router.registry().stats(node.key()).failures()).isEqualTo(1);
        // nothing was paid, so nothing can be metered
        market.meter(node, quote, 2000, List.of());
        market.awaitCount("4407:no_work_order", 1);
    }

    @Test
    void acceptsAProofSentInTwoParts() {
        ScriptedPeer node = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(node);

        Event spec = market.spec(client);
        Quote quote = market.quote(client, spec.id(), 1);
        market.status(node, quote, JobStatus.State.ACCEPTED);
        PaymentProof.Paid nodePaid = MarketFixture.pay(client, market.invoice(node, quote));
        market.proof(client, spec.id(), List.of(nodePaid));
        market.awaitCount("4403:incomplete", 1); // the fee is not proven yet: no work order
        assertThat(market.ledger.workOrder(JobId.of(spec.id()))).isEmpty();

        // the node's part, verified once, is not "reused" when the client completes the proof
        market.proof(client, spec.id(), List.of(nodePaid, MarketFixture.pay(client, quote.routerFeeInvoice())));
        assertThat(market.workOrder(node, spec.id()).paymentHashes()).hasSize(2);
        assertThat(router.counters().get("4403:already_spent")).isZero();
    }

    @Test
    void aZeroFeeQuoteNeedsOnlyTheNodesPayment() {
        market.config = market.config.withFee(new RouterAnnouncement.Fee(0, 0));
        ScriptedPeer node = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        market.startRouter();
        market.awaitLive(node);

        Event spec = market.spec(client);
        Quote quote = market.quote(client, spec.id(), 1);
        assertThat(quote.routerFeeMsat()).isZero();
        assertThat(quote.routerFeeInvoice()).isEmpty();
        market.status(node, quote, JobStatus.State.ACCEPTED);
        PaymentProof.Paid nodePaid = MarketFixture.pay(client, market.invoice(node, quote));
        market.proof(client, spec.id(), List.of(nodePaid));
        assertThat(market.workOrder(node, spec.id()).paymentHashes())
                .containsExactly(org.fedai.payment.Bolt11Codec.decode(nodePaid.bolt11()).paymentHashHex());
    }
}
