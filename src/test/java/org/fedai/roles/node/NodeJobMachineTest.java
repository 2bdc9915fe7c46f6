package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.roles.node.NodeMachineWalk.INVOICE;
import static org.fedai.roles.node.NodeMachineWalk.METERING;
import static org.fedai.roles.node.NodeMachineWalk.PRICE;
import static org.fedai.roles.node.NodeMachineWalk.RESULT;
import static org.fedai.roles.node.NodeMachineWalk.STATUS;
import static org.fedai.roles.node.NodeMachineWalk.VECTORS;
import static org.fedai.roles.node.NodeMachineWalk.kinds;
import static org.fedai.roles.node.NodeMachineWalk.of;
import static org.fedai.roles.node.NodeMachineWalk.one;
import static org.fedai.roles.node.NodeMachineWalk.published;

import java.util.List;
import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.roles.node.machine.InvoiceAnswer;
import org.fedai.roles.node.machine.NodeAction;
import org.fedai.roles.node.machine.NodeInput;
import org.fedai.roles.node.machine.NodeJobMachine;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJobState;
import org.junit.jupiter.api.Test;

/**
 * Every transition of the node's job machine, for every timing, in milliseconds: no relay, wallet, runner or real
 * time ({@link NodeMachineWalk}). Invariants named: a node never works unpaid under before-work ("no work before
 * the wallet shows it paid"), a paid job runs once ("one run"), a hold invoice's preimage is journalled before
 * the invoice is asked for ("preimage first"), and an invoice for work that will not be done is cancelled before
 * the error goes out ("cancel before error").
 */
class NodeJobMachineTest {

    @Test
    void beforeWorkQuoteAcceptsThenInvoicesAndRunsOnlyOnTheWorkOrderThenMetersWithTheInvoiceHash() {
        try (NodeMachineWalk walk = new NodeMachineWalk("a text")) {
            List<NodeAction> quoted = walk.on(walk.quoted(PaymentTiming.BEFORE));
            assertThat(published(quoted)).containsExactly(STATUS);
            assertThat(one(quoted, NodeAction.MakeInvoice.class)).isEqualTo(new NodeAction.MakeInvoice(walk.jobId, 0,
                    Msat.of(PRICE), null, NodeJobState.INVOICED));
            // accepted goes out before the wallet is asked: an invoice may take a while
            assertThat(quoted.indexOf(new NodeAction.PublishOutbox()))
                    .isLessThan(quoted.indexOf(one(quoted, NodeAction.MakeInvoice.class)));
            assertThat(quoted).contains(new NodeAction.ReleaseParkedInputs(walk.jobId));
            assertThat(walk.job().state()).isEqualTo(NodeJobState.ACCEPTED);

            String hash = Hex.encode(Sha256.hash(new byte[] {1}));
            List<NodeAction> invoiced = walk.on(new NodeInput.Invoiced(one(quoted, NodeAction.MakeInvoice.class),
                    new InvoiceAnswer.Issued(NodeMachineWalk.invoice(hash, walk.now + 600))));
            assertThat(published(invoiced)).containsExactly(INVOICE);
            assertThat(walk.job().state()).isEqualTo(NodeJobState.INVOICED);

            // no work before the wallet shows it paid: the input alone runs nothing
            List<NodeAction> input = walk.on(walk.input());
            assertThat(published(input)).containsExactly(STATUS); // input_received
            assertThat(of(input, NodeAction.Run.class)).isEmpty();

            List<NodeAction> ordered = walk.on(walk.order(PaymentTiming.BEFORE, List.of(hash)));
            assertThat(walk.job().state()).isEqualTo(NodeJobState.RUNNING);
            assertThat(one(ordered, NodeAction.Run.class).texts()).containsExactly("a text");

            List<NodeAction> done = walk.runFinished(0, VECTORS);
            NodeAction.Finish finish = one(done, NodeAction.Finish.class);
            assertThat(kinds(finish.out())).containsExactly(RESULT, STATUS, METERING);
            assertThat(finish.lockedWith()).isNull();
            assertThat(done).contains(new NodeAction.Finished(walk.jobId));
            assertThat(of(done, NodeAction.MakeInvoice.class)).isEmpty();
            assertThat(walk.job().state()).isEqualTo(NodeJobState.DONE);
        }
    }

    @Test
    void oneRunAWorkOrderForARunningJobOrARunInFlightStartsNothing() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            walk.on(walk.quoted(PaymentTiming.AFTER));
            assertThat(of(walk.on(walk.input()), NodeAction.Run.class)).hasSize(1);
            assertThat(of(walk.on(walk.order(PaymentTiming.AFTER, List.of())), NodeAction.Run.class)).isEmpty();
            // the sweep and a restart while the run is in flight start no second run
            assertThat(of(walk.on(new NodeInput.Swept()), NodeAction.Run.class)).isEmpty();
            assertThat(of(walk.on(new NodeInput.Resumed()), NodeAction.Run.class)).isEmpty();
        }
    }

    @Test
    void payAfterWorkRunsOnTheOrderThenInvoicesAndRecordsThePaymentOnceTheWalletShowsIt() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            // the invoice is made at acceptance and kept: nothing goes out until the result does (issue 17)
            NodeAction.MakeInvoice kept = one(walk.on(walk.quoted(PaymentTiming.AFTER)), NodeAction.MakeInvoice.class);
            assertThat(kept.next()).isNull();
            String hash = Hex.encode(Sha256.hash(new byte[] {2}));
            List<NodeAction> recorded = walk.on(new NodeInput.Invoiced(kept,
                    new InvoiceAnswer.Issued(NodeMachineWalk.invoice(hash, walk.now + 600))));
            assertThat(published(recorded)).isEmpty();
            assertThat(walk.job().state()).isEqualTo(NodeJobState.ACCEPTED);
            walk.on(walk.order(PaymentTiming.AFTER, List.of()));
            assertThat(of(walk.on(walk.input()), NodeAction.Run.class)).hasSize(1);

            List<NodeAction> done = walk.runFinished(0, VECTORS);
            assertThat(kinds(one(done, NodeAction.Finish.class).out())).containsExactly(RESULT, STATUS, INVOICE,
                    METERING);
            assertThat(of(done, NodeAction.MakeInvoice.class)).isEmpty();
            assertThat(of(done, NodeAction.AskWallet.class)).as("nothing can be paid yet").isEmpty();

            NodeAction.AskWallet ask = one(walk.on(new NodeInput.Swept()), NodeAction.AskWallet.class);
            assertThat(ask.question()).isEqualTo(NodeAction.Question.PAID_AFTER_WORK);
            assertThat(walk.on(new NodeInput.WalletAnswered(ask, Optional.of(InvoiceState.OPEN)))).isEmpty();
            List<NodeAction> paid = walk.on(new NodeInput.WalletAnswered(ask, Optional.of(InvoiceState.SETTLED)));
            assertThat(kinds(one(paid, NodeAction.RecordSettlement.class).out())).containsExactly(METERING);
        }
    }

    @Test
    void aWalletThatRefusesTheInvoiceFailsTheJobButOneThatGivesNoAnswerIsAskedAgainOnTheSweep() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            NodeAction.MakeInvoice asked = one(walk.on(walk.quoted(PaymentTiming.BEFORE)), NodeAction.MakeInvoice.class);
            assertThat(walk.on(new NodeInput.Invoiced(asked, new InvoiceAnswer.Refused("BACKEND_ERROR", "down", true))))
                    .singleElement().isInstanceOf(NodeAction.Warn.class);
            assertThat(walk.job().state()).isEqualTo(NodeJobState.ACCEPTED);
            assertThat(one(walk.on(new NodeInput.Swept()), NodeAction.MakeInvoice.class)).isEqualTo(asked);

            List<NodeAction> refused = walk.on(new NodeInput.Invoiced(asked,
                    new InvoiceAnswer.Refused("INSUFFICIENT", "no", false)));
            assertThat(one(refused, NodeAction.Fail.class).reason()).isEqualTo("wallet could not invoice: INSUFFICIENT");
            assertThat(walk.job().state()).isEqualTo(NodeJobState.FAILED);
        }
    }

    @Test
    void preimageFirstHoldKeepsThePreimageThenInvoicesItsHashAndRunsOnlyOnceThePaymentIsHeld() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            List<NodeAction> quoted = walk.on(walk.quoted(PaymentTiming.HOLD));
            NodeAction.KeepPreimage kept = one(quoted, NodeAction.KeepPreimage.class);
            NodeAction.MakeInvoice hold = one(quoted, NodeAction.MakeInvoice.class);
            assertThat(quoted.indexOf(kept)).isLessThan(quoted.indexOf(hold));
            assertThat(hold.holdHash()).isEqualTo(Hex.encode(Sha256.hash(Hex.decode(kept.preimageHex()))));
            walk.on(new NodeInput.Invoiced(hold, new InvoiceAnswer.Issued(NodeMachineWalk.invoice(hold.holdHash(),
                    walk.now + 600))));

            walk.on(walk.input());
            NodeAction.AskWallet held = one(walk.on(walk.order(PaymentTiming.HOLD, List.of())), NodeAction.AskWallet.class);
            assertThat(held.question()).isEqualTo(NodeAction.Question.HELD_TO_RUN);
            assertThat(walk.on(new NodeInput.WalletAnswered(held, Optional.of(InvoiceState.OPEN)))).isEmpty();
            assertThat(of(walk.on(new NodeInput.WalletAnswered(held, Optional.of(InvoiceState.HELD))),
                    NodeAction.Run.class)).hasSize(1);

            List<NodeAction> done = walk.runFinished(0, VECTORS);
            // hold meters once settled, with the hash it settled
            assertThat(kinds(one(done, NodeAction.Finish.class).out())).containsExactly(RESULT, STATUS);
            // it ran on the wallet's word that the payment is held: settled at once, without asking again (issue 17)
            assertThat(of(done, NodeAction.AskWallet.class)).isEmpty();
            NodeAction.Settle release = one(done, NodeAction.Settle.class);
            assertThat(release.preimageHex()).isEqualTo(kept.preimageHex());
            assertThat(release.paymentHash()).isEqualTo(hold.holdHash());
            assertThat(walk.on(new NodeInput.SettleAnswered(release, false))).singleElement()
                    .isInstanceOf(NodeAction.Warn.class);
            // the wallet did not settle (the payment no longer held): the sweep asks, as for any DONE job
            NodeAction.AskWallet settle = one(walk.on(new NodeInput.Swept()), NodeAction.AskWallet.class);
            assertThat(settle.question()).isEqualTo(NodeAction.Question.SETTLE_AFTER_DELIVERY);
            assertThat(one(walk.on(new NodeInput.WalletAnswered(settle, Optional.of(InvoiceState.HELD))),
                    NodeAction.Settle.class)).isEqualTo(release);
            assertThat(kinds(one(walk.on(new NodeInput.SettleAnswered(release, true)),
                    NodeAction.RecordSettlement.class).out())).containsExactly(METERING);
        }
    }

    @Test
    void aRestartedHoldJobReusesItsJournalledPreimage() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            String first = one(walk.on(walk.quoted(PaymentTiming.HOLD)), NodeAction.KeepPreimage.class).preimageHex();
            // the wallet never answered and the node restarted: the invoice is asked for the same hash
            List<NodeAction> resumed = walk.on(new NodeInput.Resumed());
            assertThat(of(resumed, NodeAction.KeepPreimage.class)).isEmpty();
            assertThat(one(resumed, NodeAction.MakeInvoice.class).holdHash())
                    .isEqualTo(Hex.encode(Sha256.hash(Hex.decode(first))));
        }
    }

    @Test
    void atomicLocksTheResultUnderAFreshPreimageJournalledWithItThenInvoicesThatHash() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            assertThat(of(walk.on(walk.quoted(PaymentTiming.ATOMIC)), NodeAction.MakeInvoice.class)).isEmpty();
            walk.on(walk.input());
            walk.on(walk.order(PaymentTiming.ATOMIC, List.of()));
            List<NodeAction> done = walk.runFinished(0, VECTORS);
            NodeAction.Finish finish = one(done, NodeAction.Finish.class);
            assertThat(finish.lockedWith()).isNotNull();
            assertThat(kinds(finish.out())).containsExactly(RESULT, STATUS, METERING);
            NodeAction.MakeInvoice locked = one(done, NodeAction.MakeInvoice.class);
            assertThat(locked.holdHash()).isEqualTo(Hex.encode(Sha256.hash(Hex.decode(finish.lockedWith()))));
            assertThat(locked.next()).isEqualTo(NodeJobState.DONE);
            assertThat(walk.journal.preimage(walk.jobId)).contains(finish.lockedWith());
        }
    }

    @Test
    void freeWorkIsNeverInvoicedAndItsMeteringNamesNoPayment() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            assertThat(of(walk.on(walk.quoted(PaymentTiming.FREE)), NodeAction.MakeInvoice.class)).isEmpty();
            walk.on(walk.input());
            walk.on(walk.order(PaymentTiming.FREE, List.of()));
            List<NodeAction> done = walk.runFinished(0, VECTORS);
            assertThat(kinds(one(done, NodeAction.Finish.class).out())).containsExactly(RESULT, STATUS, METERING);
            assertThat(of(done, NodeAction.MakeInvoice.class)).isEmpty();
            assertThat(of(done, NodeAction.AskWallet.class)).isEmpty();
        }
    }

    @Test
    void freeWorkRunsOnItsQuoteAndInputAndTheWorkOrderOnlyConfirmsIt() {
        // issue 17: the router's work order for free work is no longer on the critical path
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            walk.on(walk.quoted(PaymentTiming.FREE));
            assertThat(of(walk.on(walk.input()), NodeAction.Run.class)).hasSize(1);
            assertThat(walk.job().state()).isEqualTo(NodeJobState.RUNNING);
            assertThat(of(walk.on(walk.order(PaymentTiming.FREE, List.of())), NodeAction.Run.class))
                    .as("the order runs nothing a second time").isEmpty();
            assertThat(walk.job().state()).isEqualTo(NodeJobState.RUNNING);
            assertThat(walk.job().order()).isPresent();
            walk.runFinished(0, VECTORS);
            assertThat(walk.job().state()).isEqualTo(NodeJobState.DONE);
        }
        try (NodeMachineWalk late = new NodeMachineWalk("x")) {
            late.on(late.quoted(PaymentTiming.FREE));
            late.on(late.input());
            late.runFinished(0, VECTORS);
            assertThat(of(late.on(late.order(PaymentTiming.FREE, List.of())), NodeAction.Run.class)).isEmpty();
            assertThat(late.job().state()).as("an order after delivery moves nothing back").isEqualTo(NodeJobState.DONE);
        }
    }

    @Test
    void runOnPaymentRunsWhenItsOwnWalletShowsTheInvoiceSettledAndTheWorkOrderOnlyConfirmsIt() {
        // issue 17: no work before the wallet shows it paid, but no wait for the router's order once it does
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            String hash = invoiced(walk, walk.quotedRunOnPayment());
            assertThat(of(walk.on(walk.input()), NodeAction.Run.class)).as("unpaid: nothing runs").isEmpty();
            assertThat(of(walk.on(walk.settledReport(hash)), NodeAction.Run.class)).hasSize(1);
            assertThat(walk.job().state()).isEqualTo(NodeJobState.RUNNING);
            assertThat(walk.job().order()).isEmpty();
            assertThat(of(walk.on(walk.order(PaymentTiming.BEFORE, List.of(hash))), NodeAction.Run.class))
                    .as("one run: the order runs nothing a second time").isEmpty();
            assertThat(walk.job().order()).isPresent();
            NodeAction.Finish finish = one(walk.runFinished(0, VECTORS), NodeAction.Finish.class);
            assertThat(kinds(finish.out())).containsExactly(RESULT, STATUS, METERING);
            assertThat(walk.job().state()).isEqualTo(NodeJobState.DONE);
        }
        try (NodeMachineWalk paidFirst = new NodeMachineWalk("x")) {
            String hash = invoiced(paidFirst, paidFirst.quotedRunOnPayment());
            assertThat(of(paidFirst.on(paidFirst.settledReport(hash)), NodeAction.Run.class)).isEmpty();
            assertThat(paidFirst.job().state()).as("paid, its input still to come").isEqualTo(NodeJobState.PAID);
            assertThat(of(paidFirst.on(paidFirst.input()), NodeAction.Run.class)).hasSize(1);
        }
        try (NodeMachineWalk strict = new NodeMachineWalk("x")) {
            String hash = invoiced(strict, strict.quoted(PaymentTiming.BEFORE));
            strict.on(strict.input());
            assertThat(of(strict.on(strict.settledReport(hash)), NodeAction.Run.class))
                    .as("without run_on_payment the router's order is still waited for").isEmpty();
            assertThat(strict.job().state()).isEqualTo(NodeJobState.INVOICED);
        }
    }

    /**
     * The input that came with the spec, opened from the quote: taken as the client's (its seals say so), checked
     * against the quote's commitment, and run on for free work; the client's own 4400 copy, sent beside the path,
     * is then expected and ignored, before and after delivery.
     */
    @Test
    void anInputThatCameWithTheQuoteRunsAndTheClientsOwnCopyIsIgnored() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            NodeInput.QuoteAdmitted quoted = walk.quoted(PaymentTiming.FREE);
            walk.on(quoted);
            NodeInput.InputReceived own = walk.input();
            List<NodeAction> early = walk.on(new NodeInput.EarlyInputOpened(quoted.event(), own.input()));
            assertThat(of(early, NodeAction.Run.class)).hasSize(1);
            assertThat(one(early, NodeAction.RecordInput.class).event()).as("no input event of its own").isNull();
            assertThat(walk.on(own)).as("the client's copy while it runs").isEmpty();
            walk.runFinished(0, VECTORS);
            assertThat(walk.on(own)).as("and once it is done").isEmpty();
        }
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            NodeInput.QuoteAdmitted quoted = walk.quoted(PaymentTiming.FREE);
            walk.on(quoted);
            NodeInput.InputReceived other = walk.input(walk.client, List.of("not the committed text"));
            List<NodeAction> early = walk.on(new NodeInput.EarlyInputOpened(quoted.event(), other.input()));
            assertThat(of(early, NodeAction.Run.class)).isEmpty();
            assertThat(walk.job().state()).as("not the committed input: failed").isEqualTo(NodeJobState.FAILED);
        }
    }

    /** Quotes the job and issues its invoice; returns the invoice's payment hash. */
    private static String invoiced(NodeMachineWalk walk, NodeInput.QuoteAdmitted quote) {
        List<NodeAction> quoted = walk.on(quote);
        String hash = Hex.encode(Sha256.hash(new byte[] {7}));
        walk.on(new NodeInput.Invoiced(one(quoted, NodeAction.MakeInvoice.class),
                new InvoiceAnswer.Issued(NodeMachineWalk.invoice(hash, walk.now + 600))));
        return hash;
    }

    @Test
    void workPaidAfterItRunsOnItsQuoteAndInputAndTheOrderOnlyConfirmsIt() {
        // issue 17: nothing is paid before pay-after work, so the router's order (on input_received, with the debt)
        // follows beside the run instead of before it
        for (PaymentTiming timing : List.of(PaymentTiming.AFTER, PaymentTiming.ATOMIC)) {
            try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
                walk.on(walk.quoted(timing));
                assertThat(of(walk.on(walk.input()), NodeAction.Run.class)).as(timing.code()).hasSize(1);
                assertThat(walk.job().order()).isEmpty();
                assertThat(of(walk.on(walk.order(timing, List.of())), NodeAction.Run.class)).as(timing.code())
                        .isEmpty();
                assertThat(walk.job().order()).as("journalled as confirmation").isPresent();
                assertThat(walk.job().state()).isEqualTo(NodeJobState.RUNNING);
            }
        }
        try (NodeMachineWalk before = new NodeMachineWalk("x")) {
            String hash = invoiced(before, before.quoted(PaymentTiming.BEFORE));
            assertThat(of(before.on(before.input()), NodeAction.Run.class)).as("paid before: the order first").isEmpty();
            assertThat(of(before.on(before.order(PaymentTiming.BEFORE, List.of(hash))), NodeAction.Run.class))
                    .hasSize(1);
        }
    }

    @Test
    void partialRunsEachPartOnceHeldDeliversItSettlesItAndInvoicesOnePartAheadThenFinishesAfterTheLast() {
        try (NodeMachineWalk walk = new NodeMachineWalk("one", "two", "three")) {
            List<NodeAction> quoted = walk.on(walk.quoted(PaymentTiming.PARTIAL));
            // one part ahead: the second part's invoice is in the client's hands when the first part's result comes
            List<NodeAction.MakeInvoice> made = of(quoted, NodeAction.MakeInvoice.class);
            assertThat(made).extracting(NodeAction.MakeInvoice::part).containsExactly(1, 2);
            assertThat(of(quoted, NodeAction.KeepPartPreimage.class)).as("each preimage kept before its invoice")
                    .hasSize(2);
            NodeAction.MakeInvoice first = made.get(0);
            NodeAction.MakeInvoice second = made.get(1);
            assertThat(first.amount()).isEqualTo(Msat.of(PaymentTiming.partPriceMsat(PRICE, 3, 1)));
            walk.on(new NodeInput.Invoiced(first, new InvoiceAnswer.Issued(NodeMachineWalk.invoice(first.holdHash(),
                    walk.now + 600))));
            walk.on(new NodeInput.Invoiced(second, new InvoiceAnswer.Issued(NodeMachineWalk.invoice(second.holdHash(),
                    walk.now + 600))));
            walk.on(walk.input());
            NodeAction.AskWallet held = one(walk.on(walk.order(PaymentTiming.PARTIAL, List.of())),
                    NodeAction.AskWallet.class);
            assertThat(held.question()).isEqualTo(NodeAction.Question.PART_HELD);
            NodeAction.Run part1 = one(walk.on(new NodeInput.WalletAnswered(held, Optional.of(InvoiceState.HELD))),
                    NodeAction.Run.class);
            assertThat(part1.texts()).containsExactly("one");

            List<NodeAction> delivered = walk.runFinished(1, VECTORS);
            assertThat(kinds(one(delivered, NodeAction.DeliverPart.class).out())).containsExactly(RESULT, METERING);
            List<NodeAction> moved = walk.on(new NodeInput.PartsChanged());
            NodeAction.Settle settle1 = one(moved, NodeAction.Settle.class);
            NodeAction.MakeInvoice third = one(moved, NodeAction.MakeInvoice.class);
            assertThat(third.part()).as("the part after the next").isEqualTo(3);
            NodeAction.AskWallet held2 = one(moved, NodeAction.AskWallet.class);
            assertThat(held2.part()).isEqualTo(2);
            walk.on(new NodeInput.SettleAnswered(settle1, true));
            walk.on(new NodeInput.Invoiced(third, new InvoiceAnswer.Issued(NodeMachineWalk.invoice(third.holdHash(),
                    walk.now + 600))));
            assertThat(one(walk.on(new NodeInput.WalletAnswered(held2, Optional.of(InvoiceState.HELD))),
                    NodeAction.Run.class).texts()).containsExactly("two");

            walk.runFinished(2, VECTORS);
            List<NodeAction> moved2 = walk.on(new NodeInput.PartsChanged());
            NodeAction.Settle settle2 = one(moved2, NodeAction.Settle.class);
            assertThat(of(moved2, NodeAction.MakeInvoice.class)).as("no part after the last").isEmpty();
            walk.on(new NodeInput.SettleAnswered(settle2, true));
            NodeAction.AskWallet held3 = one(walk.on(new NodeInput.PartsChanged()), NodeAction.AskWallet.class);
            assertThat(one(walk.on(new NodeInput.WalletAnswered(held3, Optional.of(InvoiceState.HELD))),
                    NodeAction.Run.class).texts()).containsExactly("three");
            walk.runFinished(3, VECTORS);
            NodeAction.Settle settle3 = one(walk.on(new NodeInput.PartsChanged()), NodeAction.Settle.class);
            walk.on(new NodeInput.SettleAnswered(settle3, true));
            List<NodeAction> finished = walk.on(new NodeInput.PartsChanged());
            assertThat(kinds(one(finished, NodeAction.Finish.class).out())).containsExactly(STATUS);
            assertThat(walk.job().state()).isEqualTo(NodeJobState.DONE);
        }
    }

    @Test
    void cancelBeforeErrorAPartialJobPastItsDeadlineCancelsTheOpenPartsInvoices() {
        try (NodeMachineWalk walk = new NodeMachineWalk("one", "two", "three")) {
            List<NodeAction.MakeInvoice> made = of(walk.on(walk.quoted(PaymentTiming.PARTIAL)),
                    NodeAction.MakeInvoice.class);
            NodeAction.MakeInvoice first = made.get(0);
            for (NodeAction.MakeInvoice m : made) {
                walk.on(new NodeInput.Invoiced(m, new InvoiceAnswer.Issued(NodeMachineWalk.invoice(m.holdHash(),
                        walk.now + 600))));
            }
            walk.on(walk.input());
            List<NodeAction> ordered = walk.on(walk.order(PaymentTiming.PARTIAL, List.of()));
            assertThat(of(ordered, NodeAction.MakeInvoice.class)).as("one part ahead, no further").isEmpty();
            walk.now += 10_000;
            List<NodeAction> swept = walk.on(new NodeInput.Swept());
            NodeAction.Fail fail = one(swept, NodeAction.Fail.class);
            assertThat(fail.reason()).isIn("payment not held before deliver_by", "deliver_by passed after 0 of 3 parts");
            List<NodeAction.Cancel> cancels = of(swept, NodeAction.Cancel.class);
            assertThat(cancels).extracting(NodeAction.Cancel::paymentHash)
                    .containsExactlyInAnyOrderElementsOf(made.stream().map(NodeAction.MakeInvoice::holdHash).toList());
            assertThat(swept.indexOf(cancels.get(0))).isLessThan(swept.lastIndexOf(new NodeAction.PublishOutbox()));
            // a part's invoice that comes back after the job failed is cancelled, never sent
            assertThat(walk.on(new NodeInput.Invoiced(first, new InvoiceAnswer.Issued(NodeMachineWalk.invoice(
                    Hex.encode(Sha256.hash(new byte[] {42})), walk.now + 600))))).singleElement()
                    .isInstanceOf(NodeAction.Cancel.class);
        }
    }

    @Test
    void anInputFromAnotherKeyOrOverTheLimitOrNotTheQuotedTextsIsRefusedAndTheLastTwoFailTheJob() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            walk.on(walk.quoted(PaymentTiming.BEFORE));
            assertThat(one(walk.on(walk.input(walk.router, walk.texts)), NodeAction.Reject.class).reason())
                    .isEqualTo("wrong_client");
            List<NodeAction> wrong = walk.on(walk.input(walk.client, List.of("not what was quoted")));
            assertThat(one(wrong, NodeAction.Reject.class).reason()).isEqualTo("inconsistent");
            assertThat(one(wrong, NodeAction.Fail.class).cause()).isNotNull();
            assertThat(one(walk.on(walk.input()), NodeAction.Reject.class).reason()).isEqualTo("job_closed");
        }
        try (NodeMachineWalk walk = new NodeMachineWalk("y".repeat((int) NodeMachineWalk.MAX_INPUT_BYTES + 1))) {
            walk.on(walk.quoted(PaymentTiming.AFTER));
            List<NodeAction> big = walk.on(walk.input());
            assertThat(one(big, NodeAction.Reject.class).reason()).isEqualTo("too_large");
            assertThat(walk.job().state()).isEqualTo(NodeJobState.FAILED);
        }
    }

    @Test
    void anInputBeforeItsQuoteIsParkedAndAQuoteForAKnownJobIsADuplicate() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            assertThat(walk.on(walk.input())).singleElement().isInstanceOf(NodeAction.ParkInput.class);
            walk.on(walk.quoted(PaymentTiming.BEFORE));
            assertThat(one(walk.on(walk.quoted(PaymentTiming.BEFORE)), NodeAction.Reject.class).reason())
                    .isEqualTo("duplicate");
        }
    }

    @Test
    void cancelBeforeErrorAJobPastItsQuoteWithAnUnpaidInvoiceFailsAndItsInvoiceIsCancelled() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            NodeAction.MakeInvoice asked = one(walk.on(walk.quoted(PaymentTiming.BEFORE)), NodeAction.MakeInvoice.class);
            String hash = Hex.encode(Sha256.hash(new byte[] {3}));
            walk.on(new NodeInput.Invoiced(asked, new InvoiceAnswer.Issued(NodeMachineWalk.invoice(hash, walk.now + 600))));
            walk.now += 120; // past the quote's expiry, before deliver_by
            NodeAction.AskWallet paid = one(walk.on(new NodeInput.Swept()), NodeAction.AskWallet.class);
            assertThat(paid.question()).isEqualTo(NodeAction.Question.PAID_PAST_EXPIRY);
            // paid: the work order may still come
            assertThat(walk.on(new NodeInput.WalletAnswered(paid, Optional.of(InvoiceState.SETTLED)))).isEmpty();
            List<NodeAction> unpaid = walk.on(new NodeInput.WalletAnswered(paid, Optional.of(InvoiceState.OPEN)));
            NodeAction.Fail fail = one(unpaid, NodeAction.Fail.class);
            assertThat(fail.reason()).isEqualTo("deadline passed before the job was authorised");
            assertThat(unpaid.indexOf(one(unpaid, NodeAction.Cancel.class)))
                    .isLessThan(unpaid.lastIndexOf(new NodeAction.PublishOutbox()));
            assertThat(unpaid).contains(new NodeAction.Finished(walk.jobId));
        }
    }

    @Test
    void aRestartRunsARunningJobAgainWithoutANewProcessingStatusUnlessItsDeadlinePassed() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            walk.on(walk.quoted(PaymentTiming.AFTER));
            walk.on(walk.input());
            walk.on(walk.order(PaymentTiming.AFTER, List.of()));
            assertThat(walk.job().state()).isEqualTo(NodeJobState.RUNNING);

            walk.restart(); // killed mid-run: its result was never queued
            List<NodeAction> resumed = walk.on(new NodeInput.Resumed());
            assertThat(of(resumed, NodeAction.Run.class)).hasSize(1);
            assertThat(of(resumed, NodeAction.Start.class)).isEmpty();

            walk.restart();
            walk.now += 10_000;
            assertThat(one(walk.on(new NodeInput.Resumed()), NodeAction.Fail.class).reason())
                    .isEqualTo("node restarted after deliver_by");
        }
    }

    @Test
    void inputMissingASweepPastDeliverByWithoutTheInputFailsWithThatCode() {
        try (NodeMachineWalk walk = new NodeMachineWalk("x")) {
            walk.on(walk.quoted(PaymentTiming.AFTER));
            walk.on(walk.order(PaymentTiming.AFTER, List.of()));
            walk.now += 10_000;
            List<NodeAction> swept = walk.on(new NodeInput.Swept());
            assertThat(one(swept, NodeAction.Fail.class).reason()).isEqualTo("input did not arrive before deliver_by");
            assertThat(NodeJobMachine.INPUT_MISSING).isEqualTo("input_missing");
        }
    }
}
