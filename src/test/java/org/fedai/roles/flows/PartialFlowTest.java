package org.fedai.roles.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.roles.client.JobOutcome;
import org.fedai.store.MeteringEntry;
import org.fedai.store.NodeJobState;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * Partial invoices, every role real: one hold invoice per text, each paid once the previous part is in hand,
 * settled once its part is delivered, metered per part; a node that stops after k parts is paid for exactly k.
 */
@RelayTest
class PartialFlowTest extends FlowTest {

    @Test
    void everyPartIsPaidDeliveredAndMeteredOnItsOwn() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200))) {
            JobOutcome out = m.submit(PaymentTiming.PARTIAL).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(out.succeeded()).as(out.failure()).isTrue();
            assertThat(out.output()).startsWith("[[").contains("],[");
            assertThat(m.runner.runs.get()).isEqualTo(2);
            assertThat(out.paid().value()).isEqualTo(out.nodePrice().value() + out.routerFee().value());
            assertThat(m.balance("client")).isEqualTo(CLIENT_FUNDS - out.nodePrice().value() - out.routerFee().value());
            assertThat(m.balance("node")).isEqualTo(out.nodePrice().value());
            await().atMost(WAIT).until(() -> parts(m, out.jobId()).size() == 2);
            assertThat(parts(m, out.jobId())).allSatisfy(e -> {
                assertThat(e.price().value()).isEqualTo(out.nodePrice().value() / 2);
                assertThat(e.paymentHashes()).hasSize(1);
            });
            assertThat(m.nodeJournal.job(out.jobId()).orElseThrow().state()).isEqualTo(NodeJobState.DONE);
        }
    }

    @Test
    void aNodeThatStopsAfterOnePartIsPaidForExactlyOnePart() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200))) {
            m.runner.failFrom = 2;
            JobOutcome out = m.submit(PaymentTiming.PARTIAL).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(out.succeeded()).isFalse();
            long part = out.nodePrice().value() / 2;
            // part 2 was paid into its hold invoice, then cancelled: back with the client
            await().atMost(WAIT).until(() -> m.balance("client") == CLIENT_FUNDS - part - out.routerFee().value());
            assertThat(m.balance("node")).isEqualTo(part);
            await().atMost(WAIT).until(() -> parts(m, out.jobId()).size() == 1);
            assertThat(m.nodeJournal.job(out.jobId()).orElseThrow().state()).isEqualTo(NodeJobState.FAILED);
        }
    }

    @Test
    void aNodeStoppedBetweenPartsResumesAtTheNextPart() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200))) {
            m.runner.gateFrom = 2;
            m.runner.gate = new CountDownLatch(1);
            var pending = m.submit(PaymentTiming.PARTIAL);
            assertThat(m.runner.enteredGated.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            m.stopNode(); // part 1 delivered and settled, part 2 held and interrupted mid-run
            m.runner.gate = null;
            m.startNode(Duration.ofMillis(200));

            JobOutcome out = pending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(out.succeeded()).as(out.failure()).isTrue();
            assertThat(m.runner.runs.get()).isEqualTo(3); // part 1 once, part 2 again after the restart
            assertThat(m.balance("client")).isEqualTo(CLIENT_FUNDS - out.nodePrice().value() - out.routerFee().value());
            assertThat(m.balance("node")).isEqualTo(out.nodePrice().value());
            await().atMost(WAIT).until(() -> parts(m, out.jobId()).size() == 2);
        }
    }

    private static List<MeteringEntry> parts(FlowMarket m, JobId jobId) {
        return m.ledger.meteringLog().stream().filter(e -> e.jobId().equals(jobId) && !e.receiptId().isEmpty())
                .toList();
    }
}
