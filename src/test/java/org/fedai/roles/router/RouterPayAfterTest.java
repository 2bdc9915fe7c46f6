package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.payment.Bolt11Codec;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.WorkOrder;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;

/** Pay-after-work: the work order follows 'accepted', the debt blocks the client until a proof clears it. */
@RelayTest
class RouterPayAfterTest extends MarketFixtureTest {

    @Test
    void ordersOnceTheNodeHasTheInputRecordsTheDebtAndClearsItOnProof() {
        ScriptedPeer node = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE, PaymentTiming.AFTER));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(node);

        Event spec = market.spec(client, 20_000, PaymentTiming.AFTER, JobRequest.Constraints.none());
        Quote quote = market.quote(node, spec.id(), 1);
        assertThat(quote.timing()).isEqualTo(PaymentTiming.AFTER);
        market.status(node, quote, JobStatus.State.ACCEPTED);
        // invariant "a node is held only to what it received": no order (and no debt) before the node has the input
        market.awaitJobState(spec.id(), org.fedai.store.RouterJobState.ACCEPTED);
        assertThat(market.ledger.workOrder(JobId.of(spec.id()))).isEmpty();
        assertThat(market.ledger.debt(JobId.of(spec.id()))).isEmpty();
        market.status(node, quote, JobStatus.State.INPUT_RECEIVED);
        WorkOrder order = market.workOrder(node, spec.id());
        assertThat(order.authorization()).isEqualTo(WorkAuthorization.PAY_AFTER);
        assertThat(order.paymentHashes()).isEmpty();
        assertThat(market.ledger.debt(JobId.of(spec.id())).orElseThrow().amount().value()).isEqualTo(2120);
        assertThat(market.ledger.hasOpenDebt(PublicKey.of(client.pubkey()))).isTrue();

        // the work is done and metered before anything is paid
        Event unpaidRecord = market.meter(node, quote, 2000, List.of());
        assertThat(market.receipt(client, unpaidRecord.id()).ledgerSequence()).isEqualTo(1);

        // an unpaid debt: no further quotes for this client
        Event refused = market.spec(client);
        market.awaitCount("4400:unpaid_debt", 1);
        assertThat(market.quotes(client, refused.id())).isZero();

        PaymentProof.Paid nodePaid = MarketFixture.pay(client, market.invoice(node, quote));
        PaymentProof.Paid feePaid = MarketFixture.pay(client, market.feeInvoice(client, spec.id()));
        market.proof(client, spec.id(), List.of(nodePaid, feePaid));
        market.awaitCount("4403:debt_cleared", 1);
        assertThat(market.ledger.debt(JobId.of(spec.id())).orElseThrow().open()).isFalse();

        // the node's second record names the payment now verified
        String nodeHash = Bolt11Codec.decode(nodePaid.bolt11()).paymentHashHex();
        Event paidRecord = market.meter(node, quote, 2000, List.of(nodeHash));
        assertThat(market.receipt(node, paidRecord.id()).ledgerSequence()).isEqualTo(2);

        Event afterwards = market.spec(client);
        assertThat(market.quote(client, afterwards.id(), 1).node()).isEqualTo(node.pubkey());
        await().atMost(ScriptedPeer.WAIT).until(() -> market.ledger.totals().openDebts() == 0);
        assertThat(router.registry().stats(node.key()).successes()).isEqualTo(1);
    }
}
