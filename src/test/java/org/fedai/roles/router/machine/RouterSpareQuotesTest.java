package org.fedai.roles.router.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Network;
import org.fedai.payment.TaggedField;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.RouterJobState;
import org.junit.jupiter.api.Test;

/**
 * The router's job machine on quotes that carry invoices made before the job (4402-invoice.md, "Spare invoices"): the
 * node's hold spare, which its client pays on the quote, and the router's own fee spare ({@link JobWalk}).
 */
class RouterSpareQuotesTest {

    private static final long PRICE = 2_000;
    private static final long FEE = 120;
    private static final String SPARE_HASH = Hex.encode(Sha256.hash(new byte[] {42}));
    /** A node's spare: a real BOLT11, since the router reads the payment hash its order names from it. */
    private static final String SPARE = Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.of(PRICE), 1_700_000_000L,
            List.of(new TaggedField.PaymentHash(Hex.decode(SPARE_HASH)), new TaggedField.Description("spare")),
            KeyPair.generate().secretKey()).encode();
    private static final String FEE_HASH = "44".repeat(32);
    private static final QuotedSpares SPARES = new QuotedSpares(SPARE, "lnbcrt1feespare", FEE_HASH);

    /**
     * With the node's spare and its own fee spare taken for the job, the router asks no wallet: both copies go out at
     * once, each carrying both invoices, and the quote is journalled with the spare, the only node invoice a proof
     * for the job may name (PaymentCheck).
     */
    @Test
    void spareInvoicesGoInTheQuoteAndBothCopiesGoAtOnce() {
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        Transition quoted = walk.admitWithSpares(Msat.of(FEE), new QuotedSpares("lnbcrt1nodespare", "lnbcrt1feespare",
                "44".repeat(32)), walk.offer(walk.node, PRICE, FEE));
        assertThat(quoted.actionsOf(RouterAction.MakeFeeInvoice.class)).isEmpty();
        List<RouterAction.Publish> copies = quoted.actionsOf(RouterAction.Publish.class);
        assertThat(copies).hasSize(2);
        for (RouterAction.Publish copy : copies) {
            KeyPair to = copy.event().tags().contains(List.of("p", walk.node.publicKey())) ? walk.node : walk.client;
            Quote q = QuoteCodec.decode(copy.event(), to, walk.nowMs / 1000)
                    .orElseThrow();
            assertThat(q.nodeInvoice()).isEqualTo("lnbcrt1nodespare");
            assertThat(q.routerFeeInvoice()).isEqualTo("lnbcrt1feespare");
            assertThat(q.runOnPayment()).isTrue();
        }
        assertThat(walk.quote().nodeInvoice()).isEqualTo("lnbcrt1nodespare");
        assertThat(walk.quote().feeInvoice()).isEqualTo("lnbcrt1feespare");
        assertThat(walk.quote().feePaymentHash()).isEqualTo("44".repeat(32));
        assertThat(walk.job.state()).isEqualTo(RouterJobState.QUOTED);
    }


    /**
     * Before quoted with the node's spare and run_on_payment: the client pays into the spare (a hold invoice) on the
     * quote, and the node settles it only on the router's order, which goes out on the node's accepted and names the
     * spare's hash; a node whose accept timed out gets none, so never settles, and its client may take the failover
     * quote. The proof that follows is verified beside and orders nothing again; a record before it is parked.
     * Invariants: one order per job; a node the router gave up on is never ordered.
     */
    @Test
    void aBeforeJobQuotedWithTheNodesSpareIsOrderedOnAcceptAndItsProofOrdersNothingAgain() {
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        walk.admitWithSpares(Msat.of(FEE), SPARES,
                walk.offer(walk.node, PRICE, FEE));
        assertThat(walk.quote().runOnPayment()).isTrue();
        Transition accepted = walk.status(walk.node, JobStatus.State.ACCEPTED);
        assertThat(accepted.actionsOf(RouterAction.RecordWorkOrder.class)).singleElement()
                .satisfies(w -> assertThat(w.order().authorization()).isEqualTo(WorkAuthorization.PAID));
        WorkOrder order = accepted.actionsOf(RouterAction.Publish.class).stream()
                .filter(p -> p.event().kind() == 4404).map(p -> PaymentCodecs.decodeWorkOrder(
                        p.event(), walk.node, walk.nowMs / 1000).orElseThrow()).findFirst().orElseThrow();
        assertThat(order.paymentHashes()).as("the spare's payment, which the node settles on this order")
                .containsExactly(SPARE_HASH);

        Transition early = walk.metering(PRICE, List.of(SPARE_HASH));
        assertThat(early.actionsOf(RouterAction.ParkMetering.class)).as("the proof is still to come").hasSize(1);
        assertThat(early.actionsOf(RouterAction.Refuse.class)).isEmpty();
        walk.proofOutcome = new ProofOutcome.Verified(true, List.of(SPARE_HASH));
        Transition proved = walk.proof();
        assertThat(proved.actionsOf(RouterAction.RecordWorkOrder.class)).as("one order per job").isEmpty();
        assertThat(proved.actionsOf(RouterAction.Count.class)).extracting(RouterAction.Count::key)
                .contains("4403:verified_after_order");
        assertThat(proved.actionsOf(RouterAction.ReleaseParked.class)).isNotEmpty();
        assertThat(walk.metering(PRICE, List.of(SPARE_HASH)).actionsOf(RouterAction.AppendMetering.class)).hasSize(1);

        JobWalk givenUp = new JobWalk(PaymentTiming.BEFORE, 2);
        givenUp.admitWithSpares(Msat.of(FEE), SPARES,
                givenUp.offer(givenUp.node, PRICE, FEE));
        givenUp.acceptTimeout();
        assertThat(givenUp.status(givenUp.node, JobStatus.State.ACCEPTED).actionsOf(RouterAction.RecordWorkOrder.class))
                .as("a node whose accept timed out is never ordered, so never settles the client's payment").isEmpty();
    }

    /**
     * A failover from a quote whose client paid the router's fee on the quote (run_on_payment, or a quote carrying
     * the node's spare) carries the same fee invoice, at the same fee, to the next node: a new one would take the
     * job's fee twice. Invariant: one fee per job, whichever node does the work.
     */
    @Test
    void aFailoverFromAQuoteWhoseFeeIsPaidOnItCarriesThatFeeInvoiceAgain() {
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        walk.admitWithSpares(Msat.of(FEE), SPARES, walk.offer(walk.node, PRICE, FEE),
                walk.offer(walk.fallback, 2 * PRICE, 2 * FEE));
        Transition failover = walk.acceptTimeout(walk.offer(walk.fallback, 2 * PRICE, 2 * FEE));
        assertThat(failover.actionsOf(RouterAction.MakeFeeInvoice.class)).as("no second fee invoice").isEmpty();
        assertThat(walk.quote().node()).isEqualTo(PublicKey.of(walk.fallback.publicKey()));
        assertThat(walk.quote().feeInvoice()).isEqualTo("lnbcrt1feespare");
        assertThat(walk.quote().feePaymentHash()).isEqualTo("44".repeat(32));
        assertThat(walk.quote().fee()).as("the fee the client was quoted first").isEqualTo(Msat.of(FEE));
        assertThat(walk.quote().nodePrice()).isEqualTo(Msat.of(2 * PRICE));
        assertThat(walk.quote().runOnPayment()).as("the credit went with the job").isTrue();
        assertThat(walk.quote().nodeInvoice()).as("the first node's spare is not the next one's").isEmpty();
    }

    /**
     * A before quote carrying the node's spare without run_on_payment (a client whose fee credit does not cover the
     * fee, as a newcomer's): the node's accepted alone orders nothing; the fee paid does, naming the spare, once the
     * node accepted, on the client's proof of the fee alone or on the router's own wallet's report of it, whichever
     * comes first. Invariants: a node is ordered on a spare without run_on_payment only once the router's fee is paid;
     * one order per job; a wallet report for another invoice, or short of the fee, orders nothing.
     */
    @Test
    void withoutRunOnPaymentTheSpareIsOrderedOnceTheFeeIsPaidAndTheNodeAccepted() {
        JobWalk walk = quotedWithoutCredit();
        assertThat(walk.quote().runOnPayment()).isFalse();
        assertThat(walk.quote().nodeInvoice()).as("the spare is quoted all the same").isEqualTo(SPARE);
        assertThat(walk.status(walk.node, JobStatus.State.ACCEPTED).actionsOf(RouterAction.RecordWorkOrder.class))
                .as("the fee is not paid yet").isEmpty();
        walk.proofOutcome = new ProofOutcome.Verified(false, List.of(FEE_HASH));
        assertThat(orderedHashes(walk, walk.proof())).as("the client's proof of the fee alone").containsExactly(SPARE_HASH);
        walk.proofOutcome = new ProofOutcome.Verified(true, List.of(FEE_HASH, SPARE_HASH));
        Transition bookkeeping = walk.proof();
        assertThat(bookkeeping.actionsOf(RouterAction.RecordWorkOrder.class)).as("one order per job").isEmpty();
        assertThat(counts(bookkeeping)).contains("4403:verified_after_order");

        JobWalk feeFirst = quotedWithoutCredit();
        feeFirst.proofOutcome = new ProofOutcome.Verified(false, List.of(FEE_HASH));
        Transition waits = feeFirst.proof();
        assertThat(waits.actionsOf(RouterAction.RecordWorkOrder.class)).as("the node has not accepted").isEmpty();
        assertThat(counts(waits)).contains("4403:fee_verified_before_accept");
        assertThat(orderedHashes(feeFirst, feeFirst.status(feeFirst.node, JobStatus.State.ACCEPTED)))
                .as("its accepted orders it").containsExactly(SPARE_HASH);

        JobWalk reported = quotedWithoutCredit();
        reported.status(reported.node, JobStatus.State.ACCEPTED);
        assertThat(reported.feed(feeSettled(reported, "55".repeat(32), FEE)).actions()).as("another invoice").isEmpty();
        assertThat(reported.feed(feeSettled(reported, FEE_HASH, FEE - 1)).actions()).as("short of the fee").isEmpty();
        Transition byWallet = reported.feed(feeSettled(reported, FEE_HASH, FEE));
        assertThat(byWallet.actionsOf(RouterAction.RecordFeePayment.class)).singleElement()
                .satisfies(r -> assertThat(r.amount()).isEqualTo(Msat.of(FEE)));
        assertThat(orderedHashes(reported, byWallet)).as("the router's own wallet's word").containsExactly(SPARE_HASH);
        reported.proofOutcome = new ProofOutcome.Verified(false, List.of(FEE_HASH));
        Transition late = reported.proof();
        assertThat(late.actionsOf(RouterAction.RecordWorkOrder.class)).isEmpty();
        assertThat(counts(late)).contains("4403:fee_verified_after_order");
        assertThat(reported.feed(feeSettled(reported, FEE_HASH, FEE)).actions()).as("reported again").isEmpty();
    }

    private static JobWalk quotedWithoutCredit() {
        JobWalk walk = new JobWalk(PaymentTiming.BEFORE, 2);
        walk.admitWithSpares(Msat.ZERO, SPARES, walk.offer(walk.node, PRICE, FEE));
        return walk;
    }

    private static RouterInput.FeeSettled feeSettled(JobWalk walk, String hash, long msat) {
        return new RouterInput.FeeSettled(walk.job.jobId(), hash, Msat.of(msat));
    }

    /** The payment hashes the transition's work order names (none when it sent none). */
    private static List<String> orderedHashes(JobWalk walk, Transition t) {
        return t.actionsOf(RouterAction.Publish.class).stream().filter(p -> p.event().kind() == 4404)
                .flatMap(p -> PaymentCodecs.decodeWorkOrder(p.event(), walk.node, walk.nowMs / 1000).orElseThrow()
                        .paymentHashes().stream()).toList();
    }

    private static List<String> counts(Transition t) {
        return t.actionsOf(RouterAction.Count.class).stream().map(RouterAction.Count::key).toList();
    }
}
