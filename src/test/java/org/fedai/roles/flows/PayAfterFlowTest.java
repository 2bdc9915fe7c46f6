package org.fedai.roles.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.roles.client.JobOutcome;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/** Pay-after-work with the real client: it pays only once the result is in hand, and its proof clears the debt. */
@RelayTest
class PayAfterFlowTest extends FlowTest {

    @Test
    void theClientPaysAfterTheResultAndItsProofClearsTheDebt() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200))) {
            JobOutcome out = m.submit(PaymentTiming.AFTER).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(out.succeeded()).as(out.failure()).isTrue();
            assertThat(out.paid().value()).isEqualTo(out.nodePrice().value() + out.routerFee().value());
            assertThat(m.balance("client")).isEqualTo(CLIENT_FUNDS - out.nodePrice().value() - out.routerFee().value());
            assertThat(m.balance("node")).isEqualTo(out.nodePrice().value());
            await().atMost(WAIT).until(() -> m.ledger.debt(out.jobId()).map(d -> !d.open()).orElse(false));
            // metered on delivery, then again with the verified hash once the node's wallet saw it paid
            await().atMost(WAIT).until(() -> m.ledger.meteringLog().stream()
                    .filter(e -> e.jobId().equals(out.jobId()) && !e.receiptId().isEmpty()).count() == 2);
        }
    }
}
