package org.fedai.roles.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.protocol.JobResult;
import org.fedai.roles.client.JobOutcome;
import org.fedai.store.NodeJob;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * Hold and atomic with every wallet behind NIP-47 (the dev wallet service on the market's relay), as the demo
 * runs: NWC has no "pending" answer, so a held payment comes back as an error the backend resolves by lookup,
 * and the preimage reaches the client through lookup_invoice once the node settles.
 */
@RelayTest
class NwcFlowTest extends FlowTest {

    @Test
    void holdOverNwcSettlesOnDelivery() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200), true)) {
            JobOutcome out = m.submit(PaymentTiming.HOLD).get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
            assertThat(out.succeeded()).as(out.failure()).isTrue();
            assertThat(m.balance("client")).isEqualTo(CLIENT_FUNDS - out.nodePrice().value() - out.routerFee().value());
            assertThat(m.balance("node")).isEqualTo(out.nodePrice().value());
            await().atMost(WAIT).until(() -> m.ledger.meteringLog().stream()
                    .anyMatch(e -> e.jobId().equals(out.jobId()) && !e.paymentHashes().isEmpty()
                            && !e.receiptId().isEmpty()));
        }
    }

    @Test
    void atomicOverNwcOpensThePaidResult() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200), true)) {
            JobOutcome out = m.submit(PaymentTiming.ATOMIC).get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
            assertThat(out.succeeded()).as(out.failure()).isTrue();
            NodeJob job = m.nodeJournal.job(out.jobId()).orElseThrow();
            assertThat(JobResult.sha256(out.output())).isEqualTo(job.outcome().orElseThrow().outputSha256());
            assertThat(m.balance("client")).isEqualTo(CLIENT_FUNDS - out.nodePrice().value() - out.routerFee().value());
            assertThat(m.balance("node")).isEqualTo(out.nodePrice().value());
        }
    }
}
