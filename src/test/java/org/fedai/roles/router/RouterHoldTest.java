package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.SlashClaim;
import org.fedai.protocol.SlashClaimCodec;
import org.fedai.protocol.WorkOrder;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;

/**
 * The router's side of hold invoices against scripted node and clients: the order goes out on {@code accepted}
 * with a debt; a job whose payment it never saw verified is not claimed for non-delivery, one the node settled
 * (and so was paid for) is.
 */
@RelayTest
class RouterHoldTest extends MarketFixtureTest {

    @Test
    void holdJobsAreOrderedOnAcceptanceAndClaimedOnlyOncePaid() throws Exception {
        ScriptedPeer node = market.node("holder", 1000, Set.of(PaymentTiming.HOLD));
        ScriptedPeer unpaying = market.client("unpaying");
        ScriptedPeer paying = market.client("paying");
        market.startRouter();
        market.awaitLive(node);

        // job 1: accepted and ordered, but its client never pays into the hold invoice
        Event unpaid = spec(unpaying, 3);
        Quote q1 = market.quote(node, unpaid.id(), 1);
        market.status(node, q1, JobStatus.State.ACCEPTED);
        WorkOrder o1 = market.workOrder(node, unpaid.id());
        assertThat(o1.authorization()).isEqualTo(WorkAuthorization.HOLD);
        assertThat(o1.paymentHashes()).isEmpty();
        assertThat(market.ledger.debt(JobId.of(unpaid.id()))).hasValueSatisfying(d -> assertThat(d.open()).isTrue());

        // job 2, due later: paid into the hold invoice, settled by the node, proved; then nothing delivered
        Event paid = spec(paying, 5);
        Quote q2 = market.quote(node, paid.id(), 1);
        market.status(node, q2, JobStatus.State.ACCEPTED);
        market.status(node, q2, JobStatus.State.INPUT_RECEIVED);
        market.workOrder(node, paid.id());
        byte[] preimage = Sha256.hash(paid.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        InvoiceResult.Created hold = (InvoiceResult.Created) node.wallet.makeHoldInvoice(InvoiceRequest.forJob(
                q2.nodePriceMsat(), new JobBinding(paid.id()), 600), Sha256.hash(preimage));
        assertThat(paying.wallet.pay(hold.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Pending.class);
        node.wallet.settle(preimage);
        LookupResult.Found settled = (LookupResult.Found) paying.wallet.lookup(Sha256.hash(preimage));
        Quote clientQuote = market.quote(paying, paid.id(), 1);
        market.proof(paying, paid.id(), List.of(new PaymentProof.Paid(hold.bolt11(),
                Hex.encode(settled.preimage().orElseThrow())), MarketFixture.pay(paying, clientQuote.routerFeeInvoice())));
        await().atMost(ScriptedPeer.WAIT).until(() -> market.ledger.debt(JobId.of(paid.id())).map(d -> !d.open())
                .orElse(false));

        SlashClaim claim = node.awaitEvent(4409, SlashClaimCodec::decode, c -> c.job().equals(paid.id()), 1);
        assertThat(claim.reason()).isEqualTo(SlashClaim.Reason.NON_DELIVERY);
        // job 1 was past its deadline first and swept first: no claim, since no payment was ever seen
        assertThat(market.ledger.slashClaim(JobId.of(unpaid.id()))).isEmpty();
        assertThat(market.router.activity().get("4409:sent")).isEqualTo(1);
    }

    private Event spec(ScriptedPeer client, long seconds) {
        long now = client.now();
        JobRequest.Spec spec = new JobRequest.Spec(MarketFixture.MODEL, "embedding",
                JobRequest.commitmentOf(MarketFixture.TEXTS), 21, MarketFixture.TEXTS.size(), 20_000,
                JobRequest.Constraints.none(), PaymentTiming.HOLD, now + seconds, now + 300);
        return client.publish(JobRequestCodec.encode(spec, client.keys, market.routerKeys.publicKey(), now));
    }
}
