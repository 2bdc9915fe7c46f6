package org.fedai.roles.node;

import org.fedai.domain.Msat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.node.ScriptedPeers.DEADLINE;
import static org.fedai.roles.node.ScriptedPeers.newJobId;

import java.util.List;
import java.util.Map;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.NodeJobState;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/** Free work (price 0, timing and authorization {@code free}): no invoice, a signed metering record all the same. */
@RelayTest
class NodeFreeJobTest extends NodeRoleFixture {

    @Test
    void freeJobRunsWithoutAnInvoiceAndIsMeteredAtZero() throws Exception {
        startNode(config().withPricing(Msat.of(0), Msat.of(0)));
        String job = newJobId();
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 0, PaymentTiming.FREE));
        peers.awaitStatus(job, "accepted");
        peers.publishInput(job, TEXTS, Map.of());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.FREE, List.of());
        await().atMost(DEADLINE).until(() -> peers.metering(job).size() == 1);
        MeteringRecord record = peers.metering(job).get(0);
        assertThat(record.priceMsat()).isZero();
        assertThat(record.paymentHashes()).isEmpty();
        assertThat(peers.results(job)).hasSize(1);
        assertThat(peers.statuses(job)).containsExactly("accepted", "input_received", "processing", "success");
        assertThat(peers.fromNode(4402, job)).isEmpty();
        assertThat(state(job)).isEqualTo(NodeJobState.DONE);
        assertThat(journal.job(JobId.of(job)).orElseThrow().invoice()).isEmpty();
        assertPublishedEventsMatchTheirSchemas();
    }

    @Test
    void aNodeThatChargesRefusesAFreeQuote() throws Exception {
        startNode(config());
        String job = newJobId();
        peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 0, PaymentTiming.FREE));
        // its manifest does not list free, so the quote is refused before its price is even looked at
        await().atMost(DEADLINE).until(() -> node.rejected("timing_not_offered") == 1);
        assertThat(journal.job(JobId.of(job))).isEmpty();
        assertThat(peers.statuses(job)).isEmpty();
    }

    @Test
    void aFreeWorkOrderForAPricedJobIsRefused() throws Exception {
        startNode(config());
        String job = newJobId();
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.BEFORE));
        peers.awaitInvoice(job);
        peers.publishInput(job, TEXTS, Map.of());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.FREE, List.of());
        await().atMost(DEADLINE).until(() -> node.rejected("inconsistent") == 1);
        assertThat(state(job)).isEqualTo(NodeJobState.INVOICED);
        assertThat(peers.results(job)).isEmpty();
    }
}
