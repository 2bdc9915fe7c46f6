package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.node.ScriptedPeers.DEADLINE;
import static org.fedai.roles.node.ScriptedPeers.newJobId;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJobState;
import org.fedai.testing.RelayTest;
import org.fedai.testing.UnreachableWallet;
import org.junit.jupiter.api.Test;

/** The node's side of the hold timing against scripted router and client: what it offers, what it refuses. */
@RelayTest
class NodeTimingTest extends NodeRoleFixture {

    @Test
    void aQuoteForATimingTheNodeDoesNotOfferIsRefused() throws Exception {
        startNode(config().withTimings(Set.of(PaymentTiming.BEFORE)));
        String job = newJobId();
        peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.HOLD));
        await().atMost(DEADLINE).until(() -> node.rejected("timing_not_offered") == 1);
        assertThat(journal.job(JobId.of(job))).isEmpty();
    }

    @Test
    void aPartialQuoteTooFinelySplitIsRefused() throws Exception {
        startNode(config());
        String job = newJobId();
        // two parts for 1 msat: a part would cost nothing
        var q = peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.PARTIAL);
        peers.publishQuote(new org.fedai.protocol.Quote(q.jobId(), q.client(), q.node(), "", q.model(), q.task(),
                q.inputSha256(), q.units(), 1, 0, "", q.timing(), q.acceptBy(), q.deliverBy(), q.expiresAt(), false, "", null));
        await().atMost(DEADLINE).until(() -> node.rejected("unpartable") == 1);
        assertThat(journal.job(JobId.of(job))).isEmpty();
    }

    @Test
    void aHoldJobTakesOnlyAHoldOrderAndSettlesTheLockedPaymentOnDelivery() throws Exception {
        startNode(config());
        String job = newJobId();
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.HOLD));
        Invoice invoice = peers.awaitInvoice(job);
        assertThat(invoice.amountMsat()).isEqualTo(2000);
        byte[] hash = Hex.decode(invoiceHash(job));

        // a "paid" order for a hold job is inconsistent with the quote: refused, counted, nothing changes
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID, List.of(invoiceHash(job)));
        await().atMost(DEADLINE).until(() -> node.rejected("inconsistent") == 1);
        assertThat(state(job)).isEqualTo(NodeJobState.INVOICED);

        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.HOLD, List.of());
        peers.publishInput(job, TEXTS, Map.of());
        await().atMost(DEADLINE).until(() -> state(job) == NodeJobState.PAID && journal.job(JobId.of(job)).orElseThrow()
                .input().isPresent());
        assertThat(clientWallet.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Pending.class);

        await().atMost(DEADLINE).until(() -> clientWallet.lookup(hash) instanceof LookupResult.Found f
                && f.state() == InvoiceState.SETTLED);
        assertThat(state(job)).isEqualTo(NodeJobState.DONE);
        assertThat(runner.runs.get()).isEqualTo(1);
        assertThat(nodeWallet.balanceMsat()).isEqualTo(2000);
        // one metering record, published once settled, naming the hold invoice's hash
        await().atMost(DEADLINE).until(() -> peers.fromNode(4407, job).size() == 1);
        assertThat(peers.fromNode(4407, job).get(0).content()).contains(invoiceHash(job));
        assertPublishedEventsMatchTheirSchemas();
    }

    @Test
    void aHoldJobOrderedWhileTheWalletGaveNoAnswerIsInvoicedOnceItAnswersThenRuns() throws Exception {
        // found by the crash suite (wallet killed as the node asked for the hold invoice): the router orders hold
        // work on input_received, so the job was PAID without an invoice and the sweep never asked the wallet again
        UnreachableWallet wallet = new UnreachableWallet(nodeWallet);
        wallet.down = true;
        startNode(config(), runner, wallet);
        String job = newJobId();
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.HOLD));
        peers.awaitStatus(job, "accepted");
        peers.publishInput(job, TEXTS, Map.of());
        peers.awaitStatus(job, "input_received");
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.HOLD, List.of());
        await().atMost(DEADLINE).until(() -> state(job) == NodeJobState.PAID);
        assertThat(journal.job(JobId.of(job)).orElseThrow().invoice()).as("the wallet gave no answer").isEmpty();

        wallet.down = false;
        Invoice invoice = peers.awaitInvoice(job);
        assertThat(state(job)).as("still ordered, not back to INVOICED").isEqualTo(NodeJobState.PAID);
        assertThat(clientWallet.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Pending.class);
        await().atMost(DEADLINE).until(() -> state(job) == NodeJobState.DONE);
        assertThat(runner.runs.get()).isEqualTo(1);
        assertThat(peers.statuses(job)).doesNotContain("error");
    }
}
