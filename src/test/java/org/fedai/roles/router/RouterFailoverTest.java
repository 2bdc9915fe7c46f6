package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.Quote;
import org.fedai.store.RouterJobState;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;

/** accept_by: a node that does not accept loses the job to the fallback, and the router remembers it. */
@RelayTest
class RouterFailoverTest extends MarketFixtureTest {

    @Test
    void quotesTheFallbackWhenTheNodeNeverAcceptsThenPrefersTheNodeThatDid() {
        ScriptedPeer cheapButSilent = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer fallback = market.node("node-b", 1200, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(cheapButSilent, fallback);

        Event spec = market.spec(client);
        Quote first = market.quote(client, spec.id(), 1);
        assertThat(first.node()).isEqualTo(cheapButSilent.pubkey()); // cheaper, nothing known yet
        assertThat(first.fallback()).isEqualTo(fallback.pubkey());
        market.quote(cheapButSilent, spec.id(), 1);

        // node-a stays silent past accept_by (2 s): a fresh quote goes to client and fallback
        Quote second = market.quote(client, spec.id(), 2);
        assertThat(second.node()).isEqualTo(fallback.pubkey());
        assertThat(second.fallback()).isEmpty();
        assertThat(second.nodePriceMsat()).isEqualTo(2400);
        assertThat(second.routerFeeInvoice()).isNotEqualTo(first.routerFeeInvoice());
        assertThat(market.quote(fallback, spec.id(), 1)).isEqualTo(MarketFixture.nodeCopyOf(second));
        assertThat(router.activity().get("4401:accept_timeout")).isEqualTo(1);
        assertThat(router.registry().stats(cheapButSilent.key()).timeouts()).isEqualTo(1);

        // a late 'accepted' from the node that lost the job is counted and ignored
        market.status(cheapButSilent, first, JobStatus.State.ACCEPTED);
        market.awaitCount("4405:not_chosen_node", 1);
        market.status(fallback, second, JobStatus.State.ACCEPTED);
        await().atMost(ScriptedPeer.WAIT).until(() -> router.jobs().get(0).state() == RouterJobState.ACCEPTED);
        assertThat(router.jobs().get(0).quotes()).isEqualTo(2);

        // the next job goes to the node that accepted, although node-a is still cheaper
        Event next = market.spec(client);
        Quote nextQuote = market.quote(client, next.id(), 1);
        assertThat(nextQuote.node()).isEqualTo(fallback.pubkey());
        assertThat(nextQuote.fallback()).isEqualTo(cheapButSilent.pubkey());
        assertThat(market.quotes(cheapButSilent, next.id())).isZero();
    }

    @Test
    void recordsTheJobFailedWhenNoCandidateIsLeft() {
        ScriptedPeer silent = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(silent);

        Event spec = market.spec(client);
        Quote quote = market.quote(client, spec.id(), 1);
        assertThat(quote.fallback()).isEmpty();
        market.awaitCount("4401:no_candidate_left", 1);
        RoutedJob job = router.jobs().get(0);
        assertThat(job.state()).isEqualTo(RouterJobState.FAILED);
        assertThat(job.detail()).isEqualTo("no node accepted");
        assertThat(market.quotes(client, spec.id())).isEqualTo(1);
        assertThat(market.ledger.totals().failed()).isEqualTo(1);

        // a client that pays anyway gets no work order, and its preimage is not spent by the router
        org.fedai.protocol.PaymentProof.Paid paid = MarketFixture.pay(client, market.invoice(silent, quote));
        market.proof(client, spec.id(), java.util.List.of(paid));
        market.awaitCount("4403:job_failed", 1);
        assertThat(market.spent.isSpent(org.fedai.payment.Bolt11Codec.decode(paid.bolt11()).paymentHash())).isFalse();
        assertThat(market.ledger.workOrder(JobId.of(spec.id()))).isEmpty();
    }
}
