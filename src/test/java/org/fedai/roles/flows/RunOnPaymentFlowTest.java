package org.fedai.roles.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.roles.client.JobOutcome;
import org.fedai.store.NodeJob;
import org.fedai.store.RouterQuoteRow;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * Pay-before-work quoted {@code run_on_payment} (issue 17), every wallet over NIP-47 as deployed: a client with no
 * fee credit takes the old path (fee, node, proof, order, run); once it has paid a fee, its next job is quoted
 * run_on_payment, it pays node and fee at once, and the node runs on its wallet's payment_received before the
 * router's order, which confirms it. Invariants named: "each invoice paid once" (the wallet's balances add up to the
 * quotes), "the router verifies payment" (both hashes verified, the record receipted with the node's hash), and "the
 * fee credit is what was paid" (after both jobs are proved, the credit is the two fees).
 */
@RelayTest
class RunOnPaymentFlowTest extends FlowTest {

    @Test
    void aClientWithFeeCreditPaysNodeAndFeeAtOnceAndTheNodeRunsOnItsOwnSettlement() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMinutes(10), true)) { // no sweep: reports only
            JobOutcome first = m.submit(PaymentTiming.BEFORE).get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
            assertThat(first.succeeded()).as(first.failure()).isTrue();
            assertThat(quoteOf(m, first).runOnPayment()).as("no credit yet: the order before the run").isFalse();
            await().atMost(WAIT).until(() -> receipted(m, first));

            JobOutcome second = m.submit(PaymentTiming.BEFORE).get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
            assertThat(second.succeeded()).as(second.failure()).isTrue();
            assertThat(quoteOf(m, second).runOnPayment()).isTrue();
            NodeJob ran = m.nodeJournal.job(second.jobId()).orElseThrow();
            assertThat(ran.terms().runOnPayment()).isTrue();
            // the router's order comes after the client's proof, beside the run: it confirms, it runs nothing again
            await().atMost(WAIT).until(() -> m.nodeJournal.job(second.jobId()).orElseThrow().order().isPresent());
            await().atMost(WAIT).until(() -> receipted(m, second));

            long paid = first.nodePrice().value() + first.routerFee().value() + second.nodePrice().value()
                    + second.routerFee().value();
            assertThat(m.balance("client")).as("each invoice paid once").isEqualTo(CLIENT_FUNDS - paid);
            assertThat(m.balance("node")).isEqualTo(first.nodePrice().value() + second.nodePrice().value());
            assertThat(m.balance("router")).isEqualTo(first.routerFee().value() + second.routerFee().value());
            assertThat(m.ledger.verifiedHashes(second.jobId(), "fee")).hasSize(1);
            assertThat(m.ledger.feeCredit(PublicKey.of(m.clientKeys.publicKey())))
                    .isEqualTo(Msat.of(first.routerFee().value() + second.routerFee().value()));
        }
    }

    /**
     * A router that extends newcomers a fee allowance (fedai router --newcomer-credit-msat) quotes a client's very
     * first job run_on_payment: the client pays node and fee at once and the node runs on its own settlement. The
     * client pays the fee all the same, so once metered its credit is the fee it paid and the allowance is gone.
     */
    @Test
    void aRouterExtendingNewcomersAnAllowanceQuotesTheirFirstJobRunOnPayment() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMinutes(10), true,
                c -> c.withNewcomerFeeCredit(Msat.of(1_000)))) {
            JobOutcome first = m.submit(PaymentTiming.BEFORE).get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
            assertThat(first.succeeded()).as(first.failure()).isTrue();
            assertThat(quoteOf(m, first).runOnPayment()).as("the allowance covers the first fee").isTrue();
            assertThat(m.nodeJournal.job(first.jobId()).orElseThrow().terms().runOnPayment()).isTrue();
            await().atMost(WAIT).until(() -> receipted(m, first));
            assertThat(m.balance("router")).as("the fee was paid all the same").isEqualTo(first.routerFee().value());
            assertThat(m.ledger.feeCredit(PublicKey.of(m.clientKeys.publicKey())))
                    .as("metered now: its credit is what it paid, the allowance gone").isEqualTo(first.routerFee());
        }
    }

    private static RouterQuoteRow quoteOf(FlowMarket m, JobOutcome out) {
        return m.ledger.quotesFor(out.jobId()).getLast();
    }

    private static boolean receipted(FlowMarket m, JobOutcome out) {
        return m.ledger.meteringLog().stream().anyMatch(e -> e.jobId().equals(out.jobId())
                && !e.paymentHashes().isEmpty() && !e.receiptId().isEmpty());
    }
}
