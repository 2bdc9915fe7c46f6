package org.fedai.roles.router.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fedai.domain.EventId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.JobStatus;
import org.fedai.roles.common.Counters;
import org.fedai.store.Durability;
import org.fedai.store.RouterJobState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every transition of the router's job machine, per payment timing, in milliseconds: no relay, no wallet, no
 * ledger, the time set by the test ({@link JobWalk}).
 */
class RouterJobMachineTest {

    private static final long PRICE = 2_000;
    private static final long FEE = 120;

    @Test
    void beforeQuotesThenWaitsForTheProofBeforeOrderingAndCountersignsTheRecord() {
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        Transition quoted = walk.admit(walk.offer(walk.node, PRICE, 0), walk.offer(walk.fallback, PRICE, 0));
        assertThat(quoted.actions().get(0)).isInstanceOf(RouterAction.OpenJob.class);
        assertThat(quoted.actionsOf(RouterAction.Publish.class)).hasSize(2); // the client's and the node's copy
        assertThat(walk.quote().fallback()).contains(PublicKey.of(walk.fallback.publicKey()));
        assertThat(quoted.actionsOf(RouterAction.StartAcceptClock.class)).singleElement()
                .extracting(RouterAction.StartAcceptClock::delayMs).isEqualTo(3_000L);
        assertThat(walk.job.state()).isEqualTo(RouterJobState.QUOTED);

        Transition accepted = walk.status(walk.node, JobStatus.State.ACCEPTED);
        // invariant "a node never works unpaid under before": accepted orders nothing
        assertThat(accepted.actionsOf(RouterAction.RecordWorkOrder.class)).isEmpty();
        assertThat(accepted.actionsOf(RouterAction.StopAcceptClock.class)).hasSize(1);
        assertThat(walk.job.state()).isEqualTo(RouterJobState.ACCEPTED);

        Transition paid = walk.proof();
        assertThat(paid.actionsOf(RouterAction.CheckPayment.class)).singleElement()
                .extracting(RouterAction.CheckPayment::settled).isEqualTo(false);
        assertThat(paid.actionsOf(RouterAction.RecordWorkOrder.class)).singleElement().satisfies(w -> {
            assertThat(w.order().authorization()).isEqualTo(WorkAuthorization.PAID);
            assertThat(w.debt()).isNull();
        });
        assertThat(walk.job.state()).isEqualTo(RouterJobState.ORDERED);

        walk.nowMs += 450;
        Transition metered = walk.metering(PRICE, List.of(JobWalk.HASH));
        assertThat(metered.actionsOf(RouterAction.SetLatency.class)).singleElement()
                .extracting(RouterAction.SetLatency::latencyMs).isEqualTo(450L);
        assertThat(metered.actionsOf(RouterAction.Finished.class)).hasSize(1);
        assertThat(metered.actionsOf(RouterAction.Count.class)).extracting(RouterAction.Count::key).contains("4408:sent");
        assertThat(walk.job.state()).isEqualTo(RouterJobState.METERED);
    }

    @Test
    void aRecordWithoutTheVerifiedHashOrAtAnotherPriceIsRefusedNotParkedUnderBefore() {
        JobWalk walk = ordered(PaymentTiming.BEFORE);
        assertThat(refusals(walk.metering(PRICE, List.of("44".repeat(32))))).containsExactly("4407:unverified_payment");
        assertThat(refusals(walk.metering(PRICE + 1, List.of(JobWalk.HASH)))).containsExactly("4407:price_mismatch");
        assertThat(refusals(walk.metering(PRICE, List.of()))).containsExactly("4407:missing_payment_hashes");
        assertThat(refusals(walk.metering(walk.fallback, PRICE, List.of(JobWalk.HASH), false)))
                .containsExactly("4407:not_ordered_node");
        assertThat(walk.metering(walk.node, PRICE, List.of(JobWalk.HASH), true).actions()).isEmpty(); // countersigned
    }

    @Test
    void theNodesCopyGoesBeforeTheFeeInvoiceTheClientsAfterItAndAFailedInvoiceFailsTheJob() {
        // issue 17: the node's make_invoice overlaps the router's instead of following it
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        Transition quoted = walk.admit(walk.offer(walk.node, PRICE, FEE));
        assertThat(quoted.actions()).extracting(a -> a.getClass().getSimpleName()).containsSubsequence(
                "OpenJob", "Publish", "MakeFeeInvoice", "RecordQuote", "Publish");
        List<RouterAction.Publish> copies = quoted.actionsOf(RouterAction.Publish.class);
        assertThat(copies).hasSize(2);
        assertThat(copies.get(0).event().tags()).contains(List.of("p", walk.node.publicKey()));
        assertThat(copies.get(1).event().tags()).contains(List.of("p", walk.client.publicKey()));
        assertThat(walk.quote().nodeCopyId().hex()).isEqualTo(copies.get(0).event().id());
        assertThat(walk.quote().feeInvoice()).isEqualTo("lnbcrt1fee");
        assertThat(walk.quote().feePaymentHash()).isEqualTo("33".repeat(32));

        JobWalk broke = new JobWalk(PaymentTiming.BEFORE, 2);
        broke.feeInvoiceFails = true;
        Transition failed = broke.admit(broke.offer(broke.node, PRICE, FEE));
        assertThat(failed.actionsOf(RouterAction.Publish.class)).as("the node's copy only: no quote for the client")
                .singleElement().satisfies(p -> assertThat(p.event().tags()).contains(List.of("p",
                        broke.node.publicKey())));
        assertThat(refusals(failed)).containsExactly("4401:fee_invoice_failed");
        assertThat(failed.actionsOf(RouterAction.NotifyRefusal.class)).as("told at once: it moves to its next router")
                .singleElement().satisfies(n -> assertThat(n.reason()).isEqualTo("fee_invoice_failed"));
        // the node had its copy: its accepted for the failed job is refused, not kept for a quote that never comes
        Transition late = broke.status(broke.node, JobStatus.State.ACCEPTED);
        assertThat(late.actionsOf(RouterAction.ParkStatus.class)).isEmpty();
        assertThat(refusals(late)).containsExactly("4405:unknown_job");
        assertThat(broke.job.state()).isEqualTo(RouterJobState.FAILED);
    }

    @Test
    void proofsAreRefusedFromStrangersBeforeAcceptanceAfterExpiryAndOnceSettled() {
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        walk.admit(walk.offer(walk.node, PRICE, 0));
        assertThat(refusals(walk.proof(walk.fallback))).containsExactly("4403:unknown_job");
        assertThat(refusals(walk.proof())).containsExactly("4403:not_accepted");
        walk.status(walk.node, JobStatus.State.ACCEPTED);
        walk.nowMs += 121_000;
        assertThat(refusals(walk.proof())).containsExactly("4403:quote_expired");
        walk.nowMs -= 121_000;
        walk.proof();
        Transition again = walk.proof();
        assertThat(again.actionsOf(RouterAction.CheckPayment.class)).singleElement()
                .extracting(RouterAction.CheckPayment::settled).isEqualTo(true);
        assertThat(refusals(again)).containsExactly("4403:already_settled");
        assertThat(again.actionsOf(RouterAction.RecordWorkOrder.class)).isEmpty(); // invariant: one order per job
    }

    @Test
    void anIncompleteProofOrdersNothingAndARefusedCheckIsCountedUnderItsReason() {
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        walk.admit(walk.offer(walk.node, PRICE, FEE));
        walk.status(walk.node, JobStatus.State.ACCEPTED);
        walk.proofOutcome = new ProofOutcome.Verified(false, List.of(JobWalk.HASH));
        assertThat(refusals(walk.proof())).containsExactly("4403:incomplete");
        walk.proofOutcome = ProofOutcome.refused("already_spent");
        assertThat(refusals(walk.proof())).containsExactly("4403:already_spent");
        assertThat(walk.job.order()).isEmpty();
        assertThat(walk.job.state()).isEqualTo(RouterJobState.ACCEPTED);
    }

    @ParameterizedTest
    @EnumSource(value = PaymentTiming.class, names = {"AFTER", "ATOMIC"})
    void afterAndAtomicAreOrderedWhenTheNodeHoldsTheInputWithADebtTheProofClears(PaymentTiming timing) {
        JobWalk walk = new JobWalk(timing, 2);
        walk.admit(walk.offer(walk.node, PRICE, FEE));
        assertThat(walk.status(walk.node, JobStatus.State.ACCEPTED).actionsOf(RouterAction.RecordWorkOrder.class))
                .isEmpty();
        Transition input = walk.status(walk.node, JobStatus.State.INPUT_RECEIVED);
        assertThat(input.actionsOf(RouterAction.RecordWorkOrder.class)).singleElement().satisfies(w -> {
            assertThat(w.order().authorization()).isEqualTo(RouterTiming.of(timing).authorization());
            assertThat(w.debt().amount()).isEqualTo(Msat.of(PRICE + FEE));
        });
        assertThat(walk.job.inputReceived()).isTrue();
        // the node settled first: its record waits for the client's proof instead of being refused
        Transition early = walk.metering(PRICE, List.of("55".repeat(32)));
        assertThat(early.actionsOf(RouterAction.ParkMetering.class)).hasSize(1);
        assertThat(refusals(early)).isEmpty();
        Transition proved = walk.proof();
        assertThat(proved.actionsOf(RouterAction.ClearDebt.class)).hasSize(1);
        assertThat(proved.actionsOf(RouterAction.ReleaseParked.class)).hasSize(1);
        assertThat(walk.job.debt().orElseThrow().open()).isFalse();
        assertThat(refusals(walk.proof())).containsExactly("4403:already_settled");
    }

    @Test
    void aLateAcceptedIsTakenFromInputReceivedAlone() {
        JobWalk walk = new JobWalk(PaymentTiming.AFTER, 2);
        walk.admit(walk.offer(walk.node, PRICE, FEE));
        Transition input = walk.status(walk.node, JobStatus.State.INPUT_RECEIVED);
        assertThat(input.actionsOf(RouterAction.StopAcceptClock.class)).hasSize(1);
        assertThat(input.actionsOf(RouterAction.KeepEvidence.class)).hasSize(2); // the input_received, the order
        assertThat(walk.job.state()).isEqualTo(RouterJobState.ORDERED);
    }

    @Test
    void holdIsOrderedOnAcceptWithADebt() {
        JobWalk walk = new JobWalk(PaymentTiming.HOLD, 2);
        walk.admit(walk.offer(walk.node, PRICE, FEE));
        Transition accepted = walk.status(walk.node, JobStatus.State.ACCEPTED);
        assertThat(accepted.actionsOf(RouterAction.RecordWorkOrder.class)).singleElement()
                .satisfies(w -> assertThat(w.debt()).isNotNull());
        assertThat(accepted.actionsOf(RouterAction.WorkOrdered.class)).hasSize(1);
        assertThat(walk.proof().actionsOf(RouterAction.ClearDebt.class)).hasSize(1);
    }

    @Test
    void partialIsOrderedOnAcceptWithoutADebtAndEachPartIsCheckedAtItsPrice() {
        JobWalk walk = new JobWalk(PaymentTiming.PARTIAL, 3);
        walk.admit(walk.offer(walk.node, PRICE, FEE));
        assertThat(refusals(walk.proof())).containsExactly("4403:not_ordered");
        walk.status(walk.node, JobStatus.State.ACCEPTED);
        assertThat(walk.job.debt()).isEmpty();
        Transition part = walk.proof();
        assertThat(part.actionsOf(RouterAction.CheckPayment.class)).singleElement()
                .extracting(RouterAction.CheckPayment::parts).isEqualTo(3);
        assertThat(part.actionsOf(RouterAction.Count.class)).extracting(RouterAction.Count::key)
                .containsExactly("4403:part_verified");
        // 2000 over 3 parts: 667, 667, 666; a record must ask one part's price and name one hash
        assertThat(refusals(walk.metering(PRICE, List.of(JobWalk.HASH)))).containsExactly("4407:price_mismatch");
        assertThat(walk.metering(667, List.of("66".repeat(32))).actionsOf(RouterAction.ParkMetering.class)).hasSize(1);
        Transition metered = walk.metering(666, List.of(JobWalk.HASH));
        assertThat(metered.actionsOf(RouterAction.AppendMetering.class)).hasSize(1);
        assertThat(metered.actionsOf(RouterAction.Metered.class)).isEmpty(); // a part's units judge no throughput
    }

    @Test
    void aFallbacksQuoteKeepsBothCopiesUntilTheFeeInvoiceIsMade() {
        // while the timed-out quote is in force, the fallback's accepted would be refused as a stranger's: its copy
        // goes only with the client's, once the new quote is journalled
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        walk.admit(walk.offer(walk.node, PRICE, FEE), walk.offer(walk.fallback, PRICE, FEE));
        walk.holdFeeInvoice = true;
        Transition timedOut = walk.acceptTimeout(walk.offer(walk.node, PRICE, FEE), walk.offer(walk.fallback, PRICE, FEE));
        assertThat(timedOut.actionsOf(RouterAction.MakeFeeInvoice.class)).hasSize(1);
        assertThat(timedOut.actionsOf(RouterAction.Publish.class)).isEmpty();
        Transition quoted = walk.feed(walk.heldFeeInvoice());
        assertThat(quoted.actionsOf(RouterAction.Publish.class)).extracting(p -> p.event().tags().stream()
                .filter(t -> t.get(0).equals("p")).findFirst().orElseThrow().get(1))
                .containsExactlyInAnyOrder(walk.client.publicKey(), walk.fallback.publicKey());
        assertThat(walk.quote().node().hex()).isEqualTo(walk.fallback.publicKey());
    }

    @Test
    void aNodesStatusBeforeItsQuoteIsJournalledIsParkedUntilItIs() {
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        walk.holdFeeInvoice = true;
        walk.admit(walk.offer(walk.node, PRICE, FEE));
        assertThat(walk.job.activeQuote()).isEmpty();
        Transition early = walk.status(walk.node, JobStatus.State.ACCEPTED);
        assertThat(early.actionsOf(RouterAction.ParkStatus.class)).hasSize(1);
        assertThat(refusals(early)).isEmpty();
        Transition quoted = walk.feed(walk.heldFeeInvoice());
        assertThat(quoted.actionsOf(RouterAction.RecordQuote.class)).hasSize(1);
        assertThat(quoted.actionsOf(RouterAction.ReleaseParked.class)).hasSize(1);
    }

    /** The input sealed for the chosen node with the spec goes on in that node's copy only. */
    @Test
    void anInputSentWithTheSpecGoesOnInTheChosenNodesCopyOnly() {
        JobWalk walk = new JobWalk(PaymentTiming.FREE, 1);
        org.fedai.protocol.EarlyInput early = org.fedai.protocol.EarlyInput.seal(List.of("a"), java.util.Map.of(),
                List.of(walk.node.publicKey()), walk.client);
        Transition quoted = walk.feed(new RouterInput.SpecAdmitted(walk.specEvent, walk.spec.withEarlyInput(early),
                List.of(walk.offer(walk.node, 0, 0)), Msat.ZERO));
        for (RouterAction.Publish copy : quoted.actionsOf(RouterAction.Publish.class)) {
            boolean toNode = copy.event().tags().contains(List.of("p", walk.node.publicKey()));
            org.fedai.protocol.Quote q = org.fedai.protocol.QuoteCodec.decode(copy.event(), toNode ? walk.node
                    : walk.client, walk.nowMs / 1000).orElseThrow();
            assertThat(q.earlyInput()).isEqualTo(toNode ? early.forNode(walk.node.publicKey()).orElseThrow() : null);
        }
        JobWalk other = new JobWalk(PaymentTiming.FREE, 1);
        Transition notSealed = other.feed(new RouterInput.SpecAdmitted(other.specEvent, other.spec.withEarlyInput(
                early), List.of(other.offer(other.node, 0, 0)), Msat.ZERO));
        assertThat(notSealed.actionsOf(RouterAction.Publish.class)).allSatisfy(p -> assertThat(
                org.fedai.protocol.QuoteCodec.decode(p.event(), p.event().tags().contains(List.of("p",
                        other.node.publicKey())) ? other.node : other.client, other.nowMs / 1000).orElseThrow()
                        .earlyInput()).as("not sealed for this node: nothing to forward").isNull());
    }

    @Test
    void beforeRunsOnPaymentOnlyWhenTheClientsCreditCoversTheFee() {
        // issue 17: the router lets the node run on its own settlement only when a skipped fee is covered by fees
        // the client has already paid it (or there is no fee to skip)
        JobWalk covered = new JobWalk(PaymentTiming.BEFORE, 2);
        covered.admitWithCredit(Msat.of(FEE), covered.offer(covered.node, PRICE, FEE));
        assertThat(covered.job.activeQuote().orElseThrow().runOnPayment()).isTrue();
        JobWalk shortOfIt = new JobWalk(PaymentTiming.BEFORE, 2);
        shortOfIt.admitWithCredit(Msat.of(FEE - 1), shortOfIt.offer(shortOfIt.node, PRICE, FEE));
        assertThat(shortOfIt.job.activeQuote().orElseThrow().runOnPayment()).isFalse();
        JobWalk feeless = new JobWalk(PaymentTiming.BEFORE, 2);
        feeless.admit(feeless.offer(feeless.node, PRICE, 0));
        assertThat(feeless.job.activeQuote().orElseThrow().runOnPayment()).isTrue();
        JobWalk after = new JobWalk(PaymentTiming.AFTER, 2);
        after.admitWithCredit(Msat.of(1_000_000), after.offer(after.node, PRICE, FEE));
        assertThat(after.job.activeQuote().orElseThrow().runOnPayment()).as("before only").isFalse();
    }

    @Test
    void runOnPaymentWorkMeteredBeforeItsOrderIsParkedUntilTheProofOrdersIt() {
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        walk.admitWithCredit(Msat.of(FEE), walk.offer(walk.node, PRICE, FEE));
        walk.status(walk.node, JobStatus.State.ACCEPTED);
        Transition early = walk.metering(PRICE, List.of(JobWalk.HASH));
        assertThat(early.actionsOf(RouterAction.ParkMetering.class)).hasSize(1);
        assertThat(refusals(early)).isEmpty();
        Transition proved = walk.proof();
        assertThat(proved.actionsOf(RouterAction.RecordWorkOrder.class)).singleElement()
                .satisfies(w -> assertThat(w.order().authorization()).isEqualTo(WorkAuthorization.PAID));
        assertThat(proved.actionsOf(RouterAction.ReleaseParked.class)).isNotEmpty();
        assertThat(walk.metering(PRICE, List.of(JobWalk.HASH)).actionsOf(RouterAction.AppendMetering.class)).hasSize(1);
        // without run_on_payment the same early record is refused: the node had no leave to run before its order
        JobWalk strict = new JobWalk(PaymentTiming.BEFORE, 2);
        strict.admit(strict.offer(strict.node, PRICE, FEE));
        strict.status(strict.node, JobStatus.State.ACCEPTED);
        assertThat(refusals(strict.metering(PRICE, List.of(JobWalk.HASH)))).containsExactly("4407:no_work_order");
    }

    @Test
    void freeWorkMeteredBeforeItsOrderIsParkedUntilTheOrderIsOut() {
        // issue 17: the node runs free work on its quote and input, so its record may beat the node's accepted here
        JobWalk walk = new JobWalk(PaymentTiming.FREE, 2);
        walk.admit(walk.offer(walk.node, 0, 0));
        Transition early = walk.metering(0, List.of());
        assertThat(early.actionsOf(RouterAction.ParkMetering.class)).hasSize(1);
        assertThat(refusals(early)).isEmpty();
        assertThat(refusals(walk.metering(walk.fallback, 0, List.of(), false))).as("only the quoted node's is kept")
                .containsExactly("4407:no_work_order");
        Transition accepted = walk.status(walk.node, JobStatus.State.ACCEPTED);
        assertThat(accepted.actionsOf(RouterAction.RecordWorkOrder.class)).hasSize(1);
        assertThat(accepted.actionsOf(RouterAction.ReleaseParked.class)).hasSize(1);
        assertThat(walk.metering(0, List.of()).actionsOf(RouterAction.SetReceipt.class)).hasSize(1);
    }

    @Test
    void freeIsOrderedOnAcceptJournalledRelaxedAndTakesNoProof() {
        JobWalk walk = new JobWalk(PaymentTiming.FREE, 2);
        walk.admit(walk.offer(walk.node, 0, 0));
        Transition accepted = walk.status(walk.node, JobStatus.State.ACCEPTED);
        assertThat(accepted.actionsOf(RouterAction.RecordWorkOrder.class)).singleElement().satisfies(w -> {
            assertThat(w.order().authorization()).isEqualTo(WorkAuthorization.FREE);
            assertThat(w.durability()).isEqualTo(Durability.RELAXED);
        });
        assertThat(refusals(walk.proof())).containsExactly("4403:free_job");
        assertThat(walk.metering(0, List.of()).actionsOf(RouterAction.SetReceipt.class)).singleElement()
                .extracting(RouterAction.SetReceipt::durability).isEqualTo(Durability.RELAXED);
    }

    @Test
    void anAcceptTimeoutQuotesThePromisedFallbackFirstThenFailsWhenNoneIsLeft() {
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        walk.admit(walk.offer(walk.node, PRICE, 0), walk.offer(walk.fallback, PRICE, 0));
        EventId first = walk.quote().quoteId();
        KeyPairs other = new KeyPairs();
        Transition failover = walk.acceptTimeout(walk.offer(other.third, PRICE - 1, 0), walk.offer(walk.fallback,
                PRICE, 0), walk.offer(walk.node, PRICE, 0));
        assertThat(failover.actionsOf(RouterAction.NodeTimedOut.class)).singleElement()
                .extracting(RouterAction.NodeTimedOut::node).isEqualTo(PublicKey.of(walk.node.publicKey()));
        assertThat(walk.quote().node()).isEqualTo(PublicKey.of(walk.fallback.publicKey())); // the promise kept
        assertThat(walk.quote().fallback()).contains(PublicKey.of(other.third.publicKey())); // the tried node never again
        // the first quote's clock, firing late, finds the job moved on
        assertThat(walk.feed(new RouterInput.AcceptTimedOut(walk.job.jobId(), first, walk.spec, List.of())).actions())
                .isEmpty();
        walk.acceptTimeout(walk.offer(other.third, PRICE - 1, 0));
        Transition none = walk.acceptTimeout(walk.offer(walk.node, PRICE, 0)); // tried already: none left
        assertThat(none.actionsOf(RouterAction.NotifyRefusal.class)).singleElement()
                .extracting(RouterAction.NotifyRefusal::reason).isEqualTo("no_node_accepted");
        assertThat(none.actionsOf(RouterAction.Finished.class)).hasSize(1);
        assertThat(walk.job.state()).isEqualTo(RouterJobState.FAILED);
        assertThat(walk.job.quotes()).hasSize(3);
    }

    @Test
    void anErrorFailsTheJobWaivesTheDebtAndBlamesTheNodeOnlyWhenItHadTheInput() {
        JobWalk withheld = new JobWalk(PaymentTiming.BEFORE, 2);
        withheld.admit(withheld.offer(withheld.node, PRICE, 0));
        withheld.status(withheld.node, JobStatus.State.ACCEPTED);
        Transition error = withheld.status(withheld.node, JobStatus.State.ERROR);
        assertThat(error.actionsOf(RouterAction.NodeFailed.class)).isEmpty();
        assertThat(error.actionsOf(RouterAction.Count.class)).extracting(RouterAction.Count::key)
                .containsExactly("4405:input_withheld");
        assertThat(withheld.job.state()).isEqualTo(RouterJobState.FAILED);
        assertThat(refusals(withheld.proof())).containsExactly("4403:job_failed");

        JobWalk failed = new JobWalk(PaymentTiming.AFTER, 2);
        failed.admit(failed.offer(failed.node, PRICE, FEE));
        failed.status(failed.node, JobStatus.State.INPUT_RECEIVED);
        Transition nodeError = failed.status(failed.node, JobStatus.State.ERROR);
        assertThat(nodeError.actionsOf(RouterAction.NodeFailed.class)).hasSize(1);
        assertThat(failed.job.debt().orElseThrow().open()).isFalse(); // nothing is owed for undone work
        assertThat(failed.status(failed.node, JobStatus.State.ERROR).actions()).isEmpty(); // ended: nothing moves it
    }

    @Test
    void onlyTheQuotedNodeMovesTheJobAndASlashedOneGetsNoOrder() {
        JobWalk walk = new JobWalk(PaymentTiming.HOLD, 2);
        walk.admit(walk.offer(walk.node, PRICE, FEE));
        assertThat(refusals(walk.status(walk.fallback, JobStatus.State.ACCEPTED)))
                .containsExactly("4405:not_chosen_node");
        JobStatus accepted = new JobStatus(walk.job.jobId().hex(), walk.client.publicKey(), walk.router.publicKey(),
                JobStatus.State.ACCEPTED, "");
        org.fedai.nostr.Event event = org.fedai.nostr.EventSigner.sign(
                org.fedai.protocol.JobProgressCodecs.encodeStatus(accepted, walk.nowMs / 1000), walk.node);
        Transition slashed = walk.feed(new RouterInput.StatusReported(event, accepted, true));
        assertThat(refusals(slashed)).containsExactly("4405:slashed_node");
        assertThat(slashed.actionsOf(RouterAction.KeepEvidence.class)).hasSize(1); // its word is still evidence
        assertThat(walk.job.order()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(PaymentTiming.class)
    void inEveryTimingEveryJournalWriteComesBeforeEveryEffect(PaymentTiming timing) {
        JobWalk walk = timing == PaymentTiming.FREE ? new JobWalk(timing, 2) : new JobWalk(timing, 2);
        long price = timing == PaymentTiming.FREE ? 0 : PRICE;
        walk.admit(walk.offer(walk.node, price, timing.feeFree() ? 0 : FEE));
        walk.status(walk.node, JobStatus.State.ACCEPTED);
        walk.status(walk.node, JobStatus.State.INPUT_RECEIVED);
        walk.proof();
        walk.metering(price, price == 0 ? List.of() : List.of(JobWalk.HASH));
        // invariant "journalled before published": the executor relies on this order
        for (Transition t : walk.steps) {
            int firstEffect = t.actions().size();
            for (int i = 0; i < t.actions().size(); i++) {
                if (!(t.actions().get(i) instanceof RouterAction.Journal)) {
                    firstEffect = Math.min(firstEffect, i);
                } else {
                    assertThat(i).as("journal write after an effect in %s", t).isLessThan(firstEffect);
                }
            }
        }
        assertThat(walk.job.state()).isEqualTo(timing == PaymentTiming.PARTIAL ? RouterJobState.ORDERED
                : RouterJobState.METERED); // a partial job's record asks one part's price, not the whole
    }

    private static JobWalk ordered(PaymentTiming timing) {
        JobWalk walk = new JobWalk(timing, 2);
        walk.admit(walk.offer(walk.node, PRICE, 0));
        walk.status(walk.node, JobStatus.State.ACCEPTED);
        walk.proof();
        return walk;
    }

    private static List<String> refusals(Transition t) {
        return t.actionsOf(RouterAction.Refuse.class).stream().map(r -> Counters.key(r.kind().number(), r.reason())).toList();
    }

    private static final class KeyPairs {
        final org.fedai.nostr.KeyPair third = org.fedai.nostr.KeyPair.generate();
    }
}
