package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.node.ScriptedPeers.DEADLINE;
import static org.fedai.roles.node.ScriptedPeers.newJobId;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.payment.PayResult;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.WorkOrder;
import org.fedai.runner.NeverDeliveringRunner;
import org.fedai.store.NodeJobState;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * The demo's adversary, an honest node around a {@link NeverDeliveringRunner}: everything up to the paid order and the
 * run's start, then silence. The fault is the runner's; the node's configuration has none.
 */
@RelayTest
class NodeFaultTest extends NodeRoleFixture {

    @Test
    void aNeverDeliveringNodeAcceptsInvoicesAndTakesThePaidOrderThenPublishesNothing() throws Exception {
        startNode(config(), new NeverDeliveringRunner(runner));
        String job = newJobId();
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.BEFORE));
        Invoice invoice = peers.awaitInvoice(job);
        assertThat(peers.statuses(job)).containsExactly("accepted");
        PayResult.Paid paid = (PayResult.Paid) clientWallet.pay(invoice.bolt11(), OptionalLong.empty());
        peers.publishInput(job, TEXTS, Map.of());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID,
                List.of(Hex.encode(paid.paymentHash())));
        await().atMost(DEADLINE).until(() -> state(job) == NodeJobState.RUNNING);

        // across several of the node's sweeps (which restart runs of paid jobs) nothing more is published
        await().during(Duration.ofSeconds(2)).atMost(DEADLINE).until(() -> peers.results(job).isEmpty()
                && peers.metering(job).isEmpty()
                && peers.statuses(job).equals(List.of("accepted", "input_received", "processing")));
        assertThat(runner.runs).hasValue(0);
        assertThat(state(job)).isEqualTo(NodeJobState.RUNNING);
    }
}
