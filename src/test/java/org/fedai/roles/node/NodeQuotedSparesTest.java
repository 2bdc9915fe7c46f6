package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.roles.node.NodeMachineWalk.INVOICE;
import static org.fedai.roles.node.NodeMachineWalk.METERING;
import static org.fedai.roles.node.NodeMachineWalk.RESULT;
import static org.fedai.roles.node.NodeMachineWalk.STATUS;
import static org.fedai.roles.node.NodeMachineWalk.VECTORS;
import static org.fedai.roles.node.NodeMachineWalk.kinds;
import static org.fedai.roles.node.NodeMachineWalk.of;
import static org.fedai.roles.node.NodeMachineWalk.one;

import java.util.List;
import java.util.Optional;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.roles.node.machine.NodeAction;
import org.fedai.roles.node.machine.NodeInput;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobState;
import org.fedai.store.NodeSpares;
import org.junit.jupiter.api.Test;

/**
 * The node's machine with a quote that carries one of its spare invoices (4401 node_invoice, 4402 "Spare invoices"):
 * the spare, and a hold spare's preimage, are the job's from its first write, so no wallet call and no 4402 stand
 * between the quote and the client's payment.
 */
class NodeQuotedSparesTest {

    /**
     * A quote carrying the node's spare invoice (4401 node_invoice): the spare is the job's invoice from its first
     * write, so no wallet call and no 4402 stand between the quote and the client's payment, and a restart asks for
     * none either. Invariant: a node never works unpaid: it still runs only on its own wallet's settlement.
     */
    @Test
    void aQuotedSpareIsTheJobsInvoiceFromItsFirstWriteAndNothingIsInvoicedAgain() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            String hash = Hex.encode(Sha256.hash(new byte[] {9}));
            NodeJob.InvoiceRef spare = NodeMachineWalk.invoice(hash, walk.now + 3600);
            NodeInput.QuoteAdmitted quoted = walk.quotedRunOnPayment();
            NodeSpares.Spare kept = walk.spare(spare, java.util.Optional.empty());
            List<NodeAction> actions = walk.on(walk.quotedWith(quoted, kept));
            assertThat(one(actions, NodeAction.InsertQuoted.class).spare()).contains(kept);
            assertThat(of(actions, NodeAction.MakeInvoice.class)).isEmpty();
            assertThat(one(actions, NodeAction.RecordInvoice.class).out()).as("the client has it: no 4402").isEmpty();
            assertThat(walk.job().state()).isEqualTo(NodeJobState.INVOICED);
            assertThat(walk.job().invoice()).contains(spare);
            assertThat(of(walk.on(new NodeInput.Resumed()), NodeAction.MakeInvoice.class)).isEmpty();
            assertThat(of(walk.on(walk.input()), NodeAction.Run.class)).as("unpaid: nothing runs").isEmpty();
            assertThat(of(walk.on(walk.settledReport(hash)), NodeAction.Run.class)).hasSize(1);
        }
    }

    /** Pay-after work quoted with a spare: the spare is the invoice kept for the result, and none is made. */
    @Test
    void aQuotedSpareIsThePayAfterInvoiceSentWithTheResult() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            String hash = Hex.encode(Sha256.hash(new byte[] {10}));
            NodeJob.InvoiceRef spare = NodeMachineWalk.invoice(hash, walk.now + 3600);
            NodeInput.QuoteAdmitted quoted = walk.quoted(PaymentTiming.AFTER);
            List<NodeAction> actions = walk.on(walk.quotedWith(quoted, walk.spare(spare, java.util.Optional.empty())));
            assertThat(of(actions, NodeAction.MakeInvoice.class)).isEmpty();
            assertThat(walk.job().state()).isEqualTo(NodeJobState.ACCEPTED);
            assertThat(of(walk.on(walk.input()), NodeAction.Run.class)).hasSize(1);
            NodeAction.Finish finish = one(walk.runFinished(0, VECTORS), NodeAction.Finish.class);
            assertThat(kinds(finish.out())).containsExactly(RESULT, STATUS, INVOICE, METERING);
            assertThat(walk.job().invoice()).contains(spare);
        }
    }

    /**
     * Hold quoted with a hold spare: the spare and its preimage are the job's from its first write, no preimage is
     * drawn and no invoice asked for; the job runs once it holds the router's order and its wallet holds the payment,
     * and settles with the spare's preimage as it delivers. Invariant: a held payment can always be
     * settled (its preimage is the job's before any client can pay).
     */
    @Test
    void aQuotedHoldSpareIsTheHoldJobsInvoiceAndItsPreimageSettlesIt() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            String preimage = "5a".repeat(32);
            NodeSpares.Spare spare = walk.holdSpare(preimage);
            List<NodeAction> actions = walk.on(walk.quotedWith(walk.quoted(PaymentTiming.HOLD), spare));
            assertThat(of(actions, NodeAction.MakeInvoice.class)).isEmpty();
            assertThat(of(actions, NodeAction.KeepPreimage.class)).isEmpty();
            assertThat(one(actions, NodeAction.RecordInvoice.class).out()).as("the client has it: no 4402").isEmpty();
            assertThat(walk.job().state()).isEqualTo(NodeJobState.INVOICED);
            walk.on(walk.input());
            NodeAction.AskWallet held = one(walk.on(walk.order(PaymentTiming.HOLD, List.of())), NodeAction.AskWallet.class);
            assertThat(held.question()).isEqualTo(NodeAction.Question.HELD_TO_RUN);
            assertThat(held.paymentHash()).isEqualTo(spare.paymentHash());
            assertThat(of(walk.on(new NodeInput.WalletAnswered(held, Optional.of(InvoiceState.HELD))),
                    NodeAction.Run.class)).hasSize(1);
            NodeAction.Settle settle = one(walk.runFinished(0, VECTORS), NodeAction.Settle.class);
            assertThat(settle.preimageHex()).isEqualTo(preimage);
        }
    }

    /**
     * Atomic quoted with a hold spare: the result is locked under the spare's preimage, which the client's quote
     * already commits to (its invoice's hash), and no hold invoice is made after the result.
     */
    @Test
    void aQuotedHoldSpareLocksTheAtomicResult() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            String preimage = "6b".repeat(32);
            NodeSpares.Spare spare = walk.holdSpare(preimage);
            walk.on(walk.quotedWith(walk.quoted(PaymentTiming.ATOMIC), spare));
            assertThat(of(walk.on(walk.input()), NodeAction.Run.class)).hasSize(1);
            List<NodeAction> done = walk.runFinished(0, VECTORS);
            NodeAction.Finish finish = one(done, NodeAction.Finish.class);
            assertThat(finish.lockedWith()).isEqualTo(preimage);
            assertThat(kinds(finish.out())).doesNotContain(INVOICE);
            assertThat(of(done, NodeAction.MakeInvoice.class)).isEmpty();
            NodeAction.AskWallet paid = one(done, NodeAction.AskWallet.class);
            assertThat(paid.question()).isEqualTo(NodeAction.Question.SETTLE_AFTER_DELIVERY);
            assertThat(one(walk.on(new NodeInput.WalletAnswered(paid, Optional.of(InvoiceState.HELD))),
                    NodeAction.Settle.class).preimageHex()).isEqualTo(preimage);
        }
    }

    /**
     * Before, run_on_payment, quoted with the node's hold spare (a client pays a quoted spare before the node has
     * acknowledged the job): the job runs once it holds both the router's order (sent on its accepted, naming the
     * spare's hash) and its wallet's word that the client's payment is locked, whichever comes first, and the node
     * settles that payment with the spare's preimage as the work starts; the result's metering record names it.
     * Invariants: a node never works unpaid (the payment is locked to it and settled as the work starts); a client
     * that pays ends with the result or its money (a payment the node does not run on is cancelled: refunded); and
     * the router's decision counts (no order, no settlement: a node the router gave up on never takes the payment).
     */
    @Test
    void aBeforeJobsHoldSpareIsSettledOnTheOrderAsTheWorkStartsAndCancelledIfTheWorkNeverDoes() {
        try (NodeMachineWalk heldFirst = new NodeMachineWalk("x")) {
            String preimage = "7c".repeat(32);
            NodeSpares.Spare spare = heldFirst.holdSpare(preimage);
            heldFirst.on(heldFirst.quotedWith(heldFirst.quotedRunOnPayment(), spare));
            assertThat(heldFirst.job().state()).isEqualTo(NodeJobState.INVOICED);
            assertThat(of(heldFirst.on(heldFirst.input()), NodeAction.Run.class)).as("nothing locked yet").isEmpty();
            List<NodeAction> held = heldFirst.on(heldFirst.heldReport(spare.paymentHash()));
            assertThat(of(held, NodeAction.Run.class)).as("held, but not ordered: nothing runs").isEmpty();
            assertThat(of(held, NodeAction.Settle.class)).isEmpty();
            NodeAction.AskWallet ask = one(heldFirst.on(heldFirst.order(PaymentTiming.BEFORE,
                    List.of(spare.paymentHash()))), NodeAction.AskWallet.class);
            assertThat(ask.question()).isEqualTo(NodeAction.Question.HELD_TO_RUN);
            assertThat(ask.onSweep()).as("asked beside: the wallet's report answers at once").isTrue();
            List<NodeAction> runs = heldFirst.on(new NodeInput.WalletAnswered(ask, Optional.of(InvoiceState.HELD)));
            NodeAction.Settle settle = one(runs, NodeAction.Settle.class);
            assertThat(settle.preimageHex()).isEqualTo(preimage);
            assertThat(runs.indexOf(settle)).as("settled as the run starts")
                    .isLessThan(runs.indexOf(one(runs, NodeAction.Run.class)));
            assertThat(heldFirst.on(new NodeInput.SettleAnswered(settle, true))).as("metered at delivery, not now")
                    .isEmpty();
            NodeAction.Finish finish = one(heldFirst.runFinished(0, VECTORS), NodeAction.Finish.class);
            assertThat(kinds(finish.out())).containsExactly(RESULT, STATUS, METERING);
        }
        try (NodeMachineWalk orderFirst = new NodeMachineWalk("x")) {
            NodeSpares.Spare spare = orderFirst.holdSpare("9e".repeat(32));
            orderFirst.on(orderFirst.quotedWith(orderFirst.quotedRunOnPayment(), spare));
            orderFirst.on(orderFirst.input());
            orderFirst.on(orderFirst.order(PaymentTiming.BEFORE, List.of(spare.paymentHash())));
            List<NodeAction> runs = orderFirst.on(new NodeInput.WalletAnswered(new NodeAction.AskWallet(
                    orderFirst.jobId, NodeAction.Question.HELD_TO_RUN, spare.paymentHash(), 0, false),
                    Optional.of(InvoiceState.HELD)));
            assertThat(of(runs, NodeAction.Run.class)).hasSize(1);
            assertThat(one(runs, NodeAction.Settle.class).paymentHash()).isEqualTo(spare.paymentHash());
        }
        try (NodeMachineWalk neverOrdered = new NodeMachineWalk("x")) {
            NodeSpares.Spare spare = neverOrdered.holdSpare("8d".repeat(32));
            neverOrdered.on(neverOrdered.quotedWith(neverOrdered.quotedRunOnPayment(), spare));
            neverOrdered.on(neverOrdered.input());
            neverOrdered.on(neverOrdered.heldReport(spare.paymentHash()));
            neverOrdered.now += 400; // past deliver_by: the router gave the job to another node
            List<NodeAction> failed = neverOrdered.on(new NodeInput.Swept());
            assertThat(neverOrdered.job().state()).isEqualTo(NodeJobState.FAILED);
            assertThat(of(failed, NodeAction.Settle.class)).isEmpty();
            assertThat(one(failed, NodeAction.Cancel.class).paymentHash()).as("the locked payment goes back")
                    .isEqualTo(spare.paymentHash());
        }
    }

    /**
     * Before without run_on_payment (a client the router gives no fee credit), quoted with the node's hold spare: the
     * client pays into it on the quote, and the router orders the work once the router's fee is paid. The wallet's
     * report that the payment is held runs nothing by itself (the node does not run on its own settlement here); the
     * order naming the spare does, once the wallet holds the payment, and the node settles as the work starts.
     * Invariant: the router's decision counts (no fee, no order, no settlement: the payment goes back at deliver_by).
     */
    @Test
    void aBeforeJobsHoldSpareWithoutRunOnPaymentRunsOnlyOnTheOrder() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            String preimage = "6b".repeat(32);
            NodeSpares.Spare spare = walk.holdSpare(preimage);
            walk.on(walk.quotedWith(walk.quoted(PaymentTiming.BEFORE), spare));
            walk.on(walk.input());
            List<NodeAction> held = walk.on(walk.heldReport(spare.paymentHash()));
            assertThat(of(held, NodeAction.Run.class)).as("held, not ordered").isEmpty();
            assertThat(walk.job().state()).isEqualTo(NodeJobState.INVOICED);
            NodeAction.AskWallet ask = one(walk.on(walk.order(PaymentTiming.BEFORE, List.of(spare.paymentHash()))),
                    NodeAction.AskWallet.class);
            assertThat(ask.question()).isEqualTo(NodeAction.Question.HELD_TO_RUN);
            List<NodeAction> runs = walk.on(new NodeInput.WalletAnswered(ask, Optional.of(InvoiceState.HELD)));
            assertThat(one(runs, NodeAction.Settle.class).preimageHex()).isEqualTo(preimage);
            assertThat(of(runs, NodeAction.Run.class)).hasSize(1);
        }
        try (NodeMachineWalk neverOrdered = new NodeMachineWalk("x")) {
            NodeSpares.Spare spare = neverOrdered.holdSpare("5a".repeat(32));
            neverOrdered.on(neverOrdered.quotedWith(neverOrdered.quoted(PaymentTiming.BEFORE), spare));
            neverOrdered.on(neverOrdered.input());
            neverOrdered.on(neverOrdered.heldReport(spare.paymentHash()));
            neverOrdered.now += 400; // past deliver_by: the fee never came
            List<NodeAction> failed = neverOrdered.on(new NodeInput.Swept());
            assertThat(neverOrdered.job().state()).isEqualTo(NodeJobState.FAILED);
            assertThat(of(failed, NodeAction.Settle.class)).isEmpty();
            assertThat(one(failed, NodeAction.Cancel.class).paymentHash()).isEqualTo(spare.paymentHash());
        }
    }
}
