package org.fedai.roles.flows;

import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.payment.PayResult;
import org.fedai.protocol.Invoice;
import org.fedai.roles.client.JobOutcome;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * Timing external, the NIP-90 gateway's flow with the real roles: the client hands the node's invoice to an outside
 * payer (here: a wallet account the client never sees), the node reveals the preimage once its wallet shows the
 * invoice settled, the router verifies it as any proof and orders the work; no router fee, no debt.
 */
@RelayTest
class ExternalFlowTest extends FlowTest {

    @Test
    void anOutsidePayersPaymentIsRevealedByTheNodeAndProvedToTheRouter() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200))) {
            m.router.admitExternalPayer(PublicKey.of(m.clientKeys.publicKey()));
            m.wallets.deposit("customer", CLIENT_FUNDS);
            var customer = m.wallets.wallet("customer");
            var asked = new CopyOnWriteArrayList<Invoice>();
            m.client.payExternally((job, invoice) -> {
                asked.add(invoice);
                assertThat(customer.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Paid.class);
            });

            JobOutcome out = m.submit(PaymentTiming.EXTERNAL).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(out.succeeded()).as(out.failure()).isTrue();
            assertThat(out.output()).startsWith("[[");
            assertThat(out.routerFee().value()).isZero();
            assertThat(asked).hasSize(1);
            assertThat(asked.get(0).amountMsat()).isEqualTo(out.nodePrice().value());
            assertThat(m.balance("customer")).isEqualTo(CLIENT_FUNDS - out.nodePrice().value());
            assertThat(m.balance("client")).isEqualTo(CLIENT_FUNDS); // the gateway's own wallet pays nothing
            assertThat(m.balance("node")).isEqualTo(out.nodePrice().value());
            assertThat(m.ledger.debt(out.jobId())).isEmpty();
            await().atMost(WAIT).until(() -> m.ledger.meteringLog().stream()
                    .anyMatch(e -> e.jobId().equals(out.jobId()) && !e.receiptId().isEmpty()));
        }
    }

    @Test
    void anUnpaidExternalJobIsNeverRun() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200))) {
            m.router.admitExternalPayer(PublicKey.of(m.clientKeys.publicKey()));
            CompletableFuture<Invoice> asked = new CompletableFuture<>();
            m.client.payExternally((job, invoice) -> asked.complete(invoice));

            CompletableFuture<JobOutcome> job = m.submit(PaymentTiming.EXTERNAL, 3);

            asked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            JobOutcome out = job.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(out.succeeded()).isFalse();
            assertThat(m.runner.runs.get()).isZero();
            assertThat(m.balance("node")).isZero();
        }
    }

    @Test
    void aClientTheRouterDidNotAdmitCannotUseTheFeeFreeTiming() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200))) {
            JobOutcome out = m.submit(PaymentTiming.EXTERNAL).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(out.succeeded()).isFalse();
            assertThat(out.failure()).contains("external_not_allowed");
            assertThat(m.router.counters().get("4400:external_not_allowed")).isEqualTo(1);
        }
    }
}
