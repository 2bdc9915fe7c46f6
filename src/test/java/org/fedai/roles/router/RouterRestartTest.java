package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.payment.Bolt11Codec;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.store.LedgerTotals;
import org.fedai.store.NodeStats;
import org.fedai.store.RouterJobState;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;

/** A router restart loses no metering record, debt, node statistic or accept_by clock, and repeats nothing. */
@RelayTest
class RouterRestartTest extends MarketFixtureTest {

    @Test
    void resumesFromItsLedger() {
        // long enough that the pending job's clock is still running when the router stops
        market.config = market.config.withAcceptTimeout(java.time.Duration.ofSeconds(5));
        ScriptedPeer node = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE, PaymentTiming.AFTER));
        ScriptedPeer client = market.client("client");
        ScriptedPeer debtor = market.client("debtor");
        market.startRouter();
        market.awaitLive(node);

        // a paid job, metered
        Event paidSpec = market.spec(client);
        Quote paid = market.quote(client, paidSpec.id(), 1);
        market.status(node, paid, JobStatus.State.ACCEPTED);
        PaymentProof.Paid nodePaid = MarketFixture.pay(client, market.invoice(node, paid));
        market.proof(client, paidSpec.id(), List.of(nodePaid, MarketFixture.pay(client, paid.routerFeeInvoice())));
        market.workOrder(node, paidSpec.id());
        Event record = market.meter(node, paid, 2000,
                List.of(Bolt11Codec.decode(nodePaid.bolt11()).paymentHashHex()));
        market.receipt(client, record.id());

        // a pay-after job, ordered, its debt open
        Event owedSpec = market.spec(debtor, 20_000, PaymentTiming.AFTER, JobRequest.Constraints.none());
        Quote owed = market.quote(node, owedSpec.id(), 1);
        market.status(node, owed, JobStatus.State.ACCEPTED);
        market.status(node, owed, JobStatus.State.INPUT_RECEIVED);
        market.workOrder(node, owedSpec.id());

        // a job quoted but not yet accepted when the router stops
        Event pendingSpec = market.spec(client);
        market.quote(node, pendingSpec.id(), 1);

        LedgerTotals before = market.ledger.totals();
        NodeStats statsBefore = market.router.registry().stats(node.key());
        assertThat(before.metered()).isEqualTo(1);
        assertThat(before.openDebts()).isEqualTo(1);
        assertThat(statsBefore.successes()).isEqualTo(1);
        market.stopRouter();

        RouterRole restarted = market.startRouter();
        // the relay hands the stored specs back (since = last processed - margin): each is a replay
        market.awaitCount("4400:replay", 3);
        NodeStats statsAfter = market.router.registry().stats(node.key());
        assertThat(statsAfter.successes()).isEqualTo(statsBefore.successes());
        assertThat(statsAfter.ewmaLatencyMs()).isEqualTo(statsBefore.ewmaLatencyMs());
        assertThat(market.ledger.meteringLog()).hasSize(1);
        assertThat(market.ledger.hasOpenDebt(PublicKey.of(debtor.pubkey()))).isTrue();
        assertThat(market.quotes(client, paidSpec.id())).isEqualTo(1);
        assertThat(market.ledger.workOrder(JobId.of(paidSpec.id())).orElseThrow().authorization()).isEqualTo(WorkAuthorization.PAID);

        // the accept_by clock of the pending job ran on: no fallback, so the job failed, and the node's
        // timeout joined its persisted stats
        market.awaitCount("4401:no_candidate_left", 1);
        assertThat(market.ledger.job(JobId.of(pendingSpec.id())).orElseThrow().state()).isEqualTo(RouterJobState.FAILED);
        assertThat(market.quotes(client, pendingSpec.id())).isEqualTo(1);
        assertThat(restarted.registry().stats(node.key()).timeouts()).isEqualTo(1);
        market.awaitLive(node);

        // the debt survived: the debtor gets no quote until it pays, then it does
        Event blocked = market.spec(debtor);
        market.awaitCount("4400:unpaid_debt", 1);
        assertThat(market.quotes(debtor, blocked.id())).isZero();
        Quote owedToDebtor = market.quote(debtor, owedSpec.id(), 1);
        PaymentProof.Paid owedPaid = MarketFixture.pay(debtor, market.invoice(node, owed));
        market.proof(debtor, owedSpec.id(), List.of(owedPaid, MarketFixture.pay(debtor,
                owedToDebtor.routerFeeInvoice())));
        market.awaitCount("4403:debt_cleared", 1);
        Event owedRecord = market.meter(node, owed, 2000,
                List.of(Bolt11Codec.decode(owedPaid.bolt11()).paymentHashHex()));
        assertThat(market.receipt(debtor, owedRecord.id()).ledgerSequence()).isEqualTo(2);
        await().atMost(ScriptedPeer.WAIT).until(() -> market.ledger.totals().openDebts() == 0);
        assertThat(market.ledger.totals().meteredAmount()).isEqualTo(Msat.of(4000));
    }
}
