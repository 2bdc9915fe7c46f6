package org.fedai.roles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.roles.client.ClientMachineWalk.FEE;
import static org.fedai.roles.client.ClientMachineWalk.FUNDS;
import static org.fedai.roles.client.ClientMachineWalk.PRICE;
import static org.fedai.roles.client.ClientMachineWalk.of;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.protocol.AtomicResult;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.Quote;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every timing of the client's job machine, transition by transition, in milliseconds: no relay, no thread, no
 * sleep; the clock is the walk's. Invariants named: "journal before effects" (checked on every transition by the
 * walk), "nothing paid before the invoice is checked", "paid once", "the result only once paid and proved" (after,
 * hold, atomic), "never paid ahead of the work" (partial), "a preimage paid for is proved even after the job
 * failed" (hold).
 */
class ClientJobMachineTest {

    @TempDir
    Path dir;
    ClientMachineWalk walk;

    @BeforeEach
    void open() {
        walk = new ClientMachineWalk(dir);
    }

    @AfterEach
    void close() {
        walk.close();
    }

    private JobResult result(String output, int part, int parts) {
        return new JobResult(walk.job.jobId.hex(), "vectors", output, part, parts, JobResult.sha256(output), 1, "texts");
    }

    private List<ClientAction> delivered(JobResult part) {
        return walk.feed(new ClientInput.ResultReceived(walk.signed(walk.node, FedaiKind.JOB_RESULT), part));
    }

    @Test
    void beforeJournalsPayingBeforeTheWalletIsAskedPaysTheFeeFirstAndProvesOnceBothArePaid() {
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        List<ClientAction> quoted = walk.quoted(PaymentTiming.BEFORE, FEE);
        assertThat(quoted).startsWith(new ClientAction.RecordQuote(((ClientAction.RecordQuote) quoted.get(0)).quote()),
                new ClientAction.RecordState(ClientJob.State.QUOTED, ClientMachineWalk.key(walk.node)));
        assertThat(quoted).contains(new ClientAction.PublishInput());

        List<ClientAction> invoiced = walk.invoiced(walk.invoice(walk.bolt11(walk.nodeWallet, PRICE), PRICE, 1, 1));
        assertThat(invoiced.get(0)).as("PAYING journaled before the wallet is asked")
                .isEqualTo(new ClientAction.RecordState(ClientJob.State.PAYING, ClientMachineWalk.key(walk.node)));
        assertThat(of(invoiced, ClientAction.Pay.class)).singleElement()
                .satisfies(p -> assertThat(p.payee()).as("the fee first").isEqualTo(ClientAction.Payee.FEE));

        List<ClientAction> paid = walk.payAll(invoiced);
        assertThat(of(paid, ClientAction.SendProof.class)).singleElement()
                .satisfies(s -> assertThat(s.paid()).hasSize(2));
        assertThat(walk.lastJournaledState()).isEqualTo(ClientJob.State.PAID);
        assertThat(walk.network.balance("client")).as("paid once").isEqualTo(FUNDS - PRICE - FEE);

        List<ClientAction> done = delivered(result("[1]", 1, 1));
        assertThat(done).contains(new ClientAction.Complete("vectors", "[1]"));
        assertThat(walk.job.paidMsat()).isEqualTo(Msat.of(PRICE + FEE));
    }

    @Test
    void runOnPaymentPaysNodeAndFeeAtOnceAndAResultBeforeTheirAnswersWaitsForThem() {
        // issue 17: the node runs on its own wallet's report, so its result can beat the client's wallet's answers;
        // the job ends with both payments journalled and proved, each invoice paid once
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        walk.quotedRunOnPayment(FEE);
        List<ClientAction> invoiced = walk.invoiced(walk.invoice(walk.bolt11(walk.nodeWallet, PRICE), PRICE, 1, 1));
        assertThat(invoiced.get(0)).as("PAYING journaled before the wallet is asked")
                .isEqualTo(new ClientAction.RecordState(ClientJob.State.PAYING, ClientMachineWalk.key(walk.node)));
        assertThat(of(invoiced, ClientAction.Pay.class)).extracting(ClientAction.Pay::payee)
                .containsExactly(ClientAction.Payee.NODE, ClientAction.Payee.FEE);

        assertThat(delivered(result("[1]", 1, 1))).as("kept: the answers are still to come")
                .doesNotContain(new ClientAction.Complete("vectors", "[1]"));
        assertThat(walk.job.finished()).isFalse();

        List<ClientAction> paid = walk.payAll(invoiced);
        assertThat(of(paid, ClientAction.SendProof.class)).singleElement()
                .satisfies(s -> assertThat(s.paid()).hasSize(2));
        assertThat(paid).contains(new ClientAction.Complete("vectors", "[1]"));
        assertThat(walk.job.paidMsat()).isEqualTo(Msat.of(PRICE + FEE));
        assertThat(walk.network.balance("client")).as("each paid once").isEqualTo(FUNDS - PRICE - FEE);
    }

    /**
     * A quote carrying the node's spare (and the router's spare fee invoice): paid on the quote, each invoice once,
     * without waiting for a 4402. Invariant: the client pays only an invoice signed by the quoted node's declared key
     * for the quoted price: a spare of another payee fails the job before anything is paid.
     */
    @Test
    void aQuoteCarryingSparesIsPaidOnArrivalAndASpareOfAnotherPayeeIsNot() throws Exception {
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        Quote spared = walk.quote(PaymentTiming.BEFORE, FEE).toBuilder().runOnPayment(true)
                .price(PRICE, FEE, walk.spareBolt11(walk.routerWallet, FEE))
                .nodeInvoice(walk.spareBolt11(walk.nodeWallet, PRICE)).build();
        List<ClientAction> quoted = walk.feed(new ClientInput.QuoteReceived(walk.signed(walk.router, FedaiKind.QUOTE),
                spared));
        assertThat(of(quoted, ClientAction.Pay.class)).extracting(ClientAction.Pay::payee)
                .containsExactly(ClientAction.Payee.NODE, ClientAction.Payee.FEE);
        assertThat(quoted).contains(new ClientAction.PublishInput());
        List<ClientAction> paid = walk.payAll(quoted);
        assertThat(of(paid, ClientAction.SendProof.class)).singleElement()
                .satisfies(s -> assertThat(s.paid()).hasSize(2));
        assertThat(walk.network.balance("client")).as("each paid once").isEqualTo(FUNDS - PRICE - FEE);

        ClientMachineWalk other = new ClientMachineWalk(java.nio.file.Files.createDirectories(dir.resolve("other")));
        try {
            other.start(PaymentTiming.BEFORE, List.of("a"));
            Quote stolen = other.quote(PaymentTiming.BEFORE, 0).toBuilder()
                    .nodeInvoice(other.spareBolt11(other.routerWallet, PRICE)).build();
            other.feed(new ClientInput.QuoteReceived(other.signed(other.router, FedaiKind.QUOTE), stolen));
            assertThat(other.taken).contains(new ClientAction.Count("invoice_payee_not_declared"));
            assertThat(of(other.taken, ClientAction.Pay.class)).isEmpty();
            assertThat(other.job.finished()).isTrue();
        } finally {
            other.close();
        }
    }

    /**
     * Pay-after work quoted with the node's spare: the node sends that spare with its result, and the client pays it
     * then; a spare-bound invoice the quote did not name is refused, since only the quote binds a spare to the job.
     */
    @Test
    void afterPaysTheQuotedSpareWithTheResultAndNoOtherSpare() {
        walk.start(PaymentTiming.AFTER, List.of("a"));
        String quotedSpare = walk.spareBolt11(walk.nodeWallet, PRICE);
        walk.feed(new ClientInput.QuoteReceived(walk.signed(walk.router, FedaiKind.QUOTE),
                walk.quote(PaymentTiming.AFTER, 0).toBuilder().nodeInvoice(quotedSpare).build()));
        assertThat(of(walk.taken, ClientAction.Pay.class)).as("after: nothing paid on the quote").isEmpty();
        delivered(result("[1]", 1, 1));
        assertThat(walk.invoiced(walk.invoice(walk.spareBolt11(walk.nodeWallet, PRICE), PRICE, 1, 1)))
                .containsExactly(new ClientAction.Count("invoice_not_bound_to_job"));
        assertThat(of(walk.invoiced(walk.invoice(quotedSpare, PRICE, 1, 1)), ClientAction.Pay.class))
                .singleElement().satisfies(p -> assertThat(p.bolt11()).isEqualTo(quotedSpare));
    }

    @Test
    void anInvoiceFromAnotherKeyOrForAnotherAmountIsCountedAndNothingIsPaid() {
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        walk.quoted(PaymentTiming.BEFORE, 0);
        assertThat(walk.invoiced(walk.invoice(walk.bolt11(walk.routerWallet, PRICE), PRICE, 1, 1)))
                .containsExactly(new ClientAction.Count("invoice_payee_not_declared"));
        assertThat(walk.invoiced(walk.invoice(walk.bolt11(walk.nodeWallet, PRICE + 1), PRICE + 1, 1, 1)))
                .containsExactly(new ClientAction.Count("invoice_amount_differs_from_quote"));
        assertThat(walk.feed(new ClientInput.InvoiceReceived(walk.signed(walk.router, FedaiKind.INVOICE),
                walk.invoice(walk.bolt11(walk.nodeWallet, PRICE), PRICE, 1, 1))))
                .containsExactly(new ClientAction.Count("invoice_from_unquoted_node"));
        assertThat(of(walk.taken, ClientAction.Pay.class)).as("nothing paid before the invoice is checked").isEmpty();
    }

    @Test
    void aWalletThatGivesNoAnswerIsAskedAgainUntilTheDeadlineLeavesNoRoom() {
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        walk.quoted(PaymentTiming.BEFORE, 0);
        ClientAction.Pay pay = of(walk.invoiced(walk.invoice(walk.bolt11(walk.nodeWallet, PRICE), PRICE, 1, 1)),
                ClientAction.Pay.class).get(0);
        PayResult.Failed noAnswer = new PayResult.Failed(BackendFailure.OUTCOME_UNKNOWN, "timeout");
        List<ClientAction> first = walk.feed(new ClientInput.PayAnswered(pay, noAnswer));
        assertThat(of(first, ClientAction.RetryLater.class)).singleElement()
                .satisfies(r -> assertThat(r.delayMs()).isEqualTo(PaymentRetry.FIRST_DELAY_MS));
        assertThat(of(walk.feed(new ClientInput.RetryDue(ClientAction.Payee.NODE)), ClientAction.Pay.class))
                .containsExactly(pay);

        walk.nowMs = walk.job.spec.deliverBy() * 1000 - 100; // no room left for another try
        List<ClientAction> last = walk.feed(new ClientInput.PayAnswered(pay, noAnswer));
        assertThat(of(last, ClientAction.Fail.class)).singleElement()
                .satisfies(f -> assertThat(f.why()).startsWith("payment failed"));
        assertThat(walk.lastJournaledState()).isEqualTo(ClientJob.State.FAILED);
        assertThat(walk.feed(new ClientInput.PayAnswered(pay, noAnswer))).as("an ended job asks nothing more")
                .isEmpty();
    }

    @Test
    void afterPaysOnlyOnceTheResultIsInAndHandsItOverOnceProved() {
        walk.start(PaymentTiming.AFTER, List.of("a"));
        walk.quoted(PaymentTiming.AFTER, FEE);
        assertThat(walk.invoiced(walk.invoice(walk.bolt11(walk.nodeWallet, PRICE), PRICE, 1, 1))).isEmpty();
        List<ClientAction> delivered = delivered(result("[2]", 1, 1));
        assertThat(of(delivered, ClientAction.Complete.class)).as("the result only once paid and proved").isEmpty();
        List<ClientAction> paid = walk.payAll(delivered);
        assertThat(of(paid, ClientAction.PublishProof.class)).singleElement()
                .satisfies(p -> assertThat(p.paid()).hasSize(2));
        assertThat(paid).contains(new ClientAction.RecordState(ClientJob.State.DONE, ClientMachineWalk.key(walk.node)))
                .endsWith(new ClientAction.Complete("vectors", "[2]"));
        assertThat(walk.network.balance("client")).as("paid once").isEqualTo(FUNDS - PRICE - FEE);
    }

    @Test
    void holdPaysIntoTheHeldInvoiceAtOnceAndProvesThePreimageOnceTheNodeSettles() {
        walk.start(PaymentTiming.HOLD, List.of("a"));
        walk.quoted(PaymentTiming.HOLD, 0);
        byte[] preimage = ClientMachineWalk.random32();
        List<ClientAction> invoiced = walk.invoiced(walk.invoice(walk.holdBolt11(PRICE, preimage), PRICE, 1, 1));
        List<ClientAction> held = walk.payAll(invoiced);
        ClientAction.LookUpLater look = of(held, ClientAction.LookUpLater.class).get(0);
        assertThat(walk.feed(new ClientInput.LookedUp(look, walk.payer.lookUp(look.paymentHashHex()))))
                .as("still held: looked at again").containsExactly(look);

        walk.feed(new ClientInput.DeadlinePassed()); // the job fails on its own clock while the payment is held
        walk.nodeWallet.settle(preimage);
        List<ClientAction> settled = walk.feed(new ClientInput.LookedUp(look, walk.payer.lookUp(look.paymentHashHex())));
        assertThat(settled.get(0)).as("the preimage journaled first")
                .isEqualTo(new ClientAction.RecordPayment(look.bolt11(), Hex.encode(preimage), Msat.of(PRICE)));
        assertThat(of(settled, ClientAction.PublishProof.class))
                .as("a preimage paid for is proved even after the job failed").hasSize(1);
        assertThat(walk.journal.payment(look.bolt11())).isPresent();
    }

    /**
     * Before, run_on_payment, quoted with the node's hold spare: paid into on the quote with the fee, the payment only
     * locked (the node settles it as the work starts); the result is handed over once the fee is answered, without
     * waiting for the node's settlement, and the node's preimage is journaled and proved when the wallet shows it.
     * Invariants: a client that pays ends with the result or its money, and each invoice is paid once.
     */
    @Test
    void aBeforeJobsHoldSpareIsPaidIntoOnTheQuoteAndItsPreimageProvedBesideTheResult() throws Exception {
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        byte[] preimage = ClientMachineWalk.random32();
        String spare = walk.spareHoldBolt11(PRICE, preimage);
        List<ClientAction> quoted = walk.feed(new ClientInput.QuoteReceived(walk.signed(walk.router, FedaiKind.QUOTE),
                walk.quote(PaymentTiming.BEFORE, FEE).toBuilder().runOnPayment(true)
                        .price(PRICE, FEE, walk.spareBolt11(walk.routerWallet, FEE)).nodeInvoice(spare).build()));
        List<ClientAction> paid = walk.payAll(quoted);
        ClientAction.LookUpLater look = of(paid, ClientAction.LookUpLater.class).get(0);
        assertThat(look.bolt11()).isEqualTo(spare);
        assertThat(of(paid, ClientAction.SendProof.class)).as("the node's preimage is not out yet").isEmpty();
        assertThat(walk.network.balance("client")).as("fee paid, price locked, each once")
                .isEqualTo(FUNDS - PRICE - FEE);

        assertThat(delivered(result("[1]", 1, 1))).as("the fee is in: the result is the client's now")
                .contains(new ClientAction.Complete("vectors", "[1]"));
        assertThat(walk.job.paidMsat()).as("the node ran on the payment: it counts as paid").isEqualTo(
                Msat.of(PRICE + FEE));
        assertThat(walk.job.proofOwed).as("the client does not close before its proof is out").isTrue();
        walk.nodeWallet.settle(preimage); // the node starts the work
        List<ClientAction> settled = walk.feed(new ClientInput.LookedUp(look, walk.payer.lookUp(look.paymentHashHex())));
        assertThat(settled.get(0)).as("the preimage journaled first")
                .isEqualTo(new ClientAction.RecordPayment(spare, Hex.encode(preimage), Msat.of(PRICE)));
        assertThat(of(settled, ClientAction.SendProof.class)).singleElement()
                .satisfies(s -> assertThat(s.paid()).hasSize(2));
        assertThat(of(settled, ClientAction.Complete.class)).as("handed over once").isEmpty();
        assertThat(walk.job.proofOwed).isFalse();

        ClientMachineWalk stopped = new ClientMachineWalk(java.nio.file.Files.createDirectories(dir.resolve("stopped")));
        try {
            stopped.start(PaymentTiming.BEFORE, List.of("a"));
            byte[] never = ClientMachineWalk.random32();
            ClientAction.LookUpLater locked = of(stopped.payAll(stopped.feed(new ClientInput.QuoteReceived(
                    stopped.signed(stopped.router, FedaiKind.QUOTE), stopped.quote(PaymentTiming.BEFORE, 0).toBuilder()
                            .runOnPayment(true).nodeInvoice(stopped.spareHoldBolt11(PRICE, never)).build()))),
                    ClientAction.LookUpLater.class).get(0);
            stopped.nodeWallet.cancel(Sha256.hash(never)); // the node never took the job on
            assertThat(of(stopped.feed(new ClientInput.LookedUp(locked, stopped.payer.lookUp(locked.paymentHashHex()))),
                    ClientAction.Fail.class)).singleElement().satisfies(f -> assertThat(f.why()).contains("refunded"));
            assertThat(stopped.network.balance("client")).as("its money back").isEqualTo(FUNDS);
        } finally {
            stopped.close();
        }
    }

    /**
     * The router's failover quote while the payment into the first node's spare is only locked: that node settles it
     * only on the router's order, which a node it gave up on never gets, so the client takes the new quote and pays
     * the new node; the first payment, when it goes back, ends nothing. Invariants: a client that pays ends with the
     * result or its money; each invoice is paid once.
     */
    @Test
    void aFailoverQuoteIsTakenWhileThePaymentIntoTheFirstNodesSpareIsOnlyLocked() throws Exception {
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        byte[] first = ClientMachineWalk.random32();
        String firstSpare = walk.spareHoldBolt11(PRICE, first);
        ClientAction.LookUpLater locked = of(walk.payAll(walk.feed(new ClientInput.QuoteReceived(
                walk.signed(walk.router, FedaiKind.QUOTE), walk.quote(PaymentTiming.BEFORE, 0).toBuilder()
                        .runOnPayment(true).nodeInvoice(firstSpare).build()))), ClientAction.LookUpLater.class).get(0);

        byte[] second = ClientMachineWalk.random32();
        String secondSpare = walk.spareHoldBolt11(PRICE, second);
        List<ClientAction> failover = walk.feed(new ClientInput.QuoteReceived(walk.signed(walk.router, FedaiKind.QUOTE),
                walk.quote(PaymentTiming.BEFORE, 0).toBuilder().runOnPayment(true).nodeInvoice(secondSpare).build()));
        assertThat(failover).doesNotContain(new ClientAction.Count("quote_after_payment"));
        assertThat(of(failover, ClientAction.Pay.class)).singleElement()
                .satisfies(p -> assertThat(p.bolt11()).isEqualTo(secondSpare));
        walk.payAll(failover);

        walk.nodeWallet.cancel(Sha256.hash(first)); // the first node never got the order
        assertThat(of(walk.feed(new ClientInput.LookedUp(locked, walk.payer.lookUp(locked.paymentHashHex()))),
                ClientAction.Fail.class)).as("the first payment going back ends nothing").isEmpty();
        assertThat(delivered(result("[1]", 1, 1))).contains(new ClientAction.Complete("vectors", "[1]"));
        assertThat(walk.network.balance("client")).as("the first payment back, the second locked once")
                .isEqualTo(FUNDS - PRICE);
        assertThat(walk.job.quotes).isEqualTo(2);

        ClientMachineWalk noSpare = new ClientMachineWalk(java.nio.file.Files.createDirectories(dir.resolve("nospare")));
        try {
            noSpare.start(PaymentTiming.BEFORE, List.of("a"));
            List<ClientAction> quoted = noSpare.feed(new ClientInput.QuoteReceived(noSpare.signed(noSpare.router,
                    FedaiKind.QUOTE), noSpare.quote(PaymentTiming.BEFORE, 0).toBuilder().runOnPayment(true)
                    .nodeInvoice(noSpare.spareHoldBolt11(PRICE, ClientMachineWalk.random32())).build()));
            ClientAction.Pay firstPay = of(quoted, ClientAction.Pay.class).get(0);
            noSpare.feed(new ClientInput.QuoteReceived(noSpare.signed(noSpare.router, FedaiKind.QUOTE),
                    noSpare.quote(PaymentTiming.BEFORE, 0).toBuilder().runOnPayment(true).build()));
            // the first node's pay call answers only now, refused (its hold cancelled): the next node's invoice is
            // still to come, and the job goes on waiting for it
            assertThat(of(noSpare.feed(new ClientInput.PayAnswered(firstPay, new PayResult.Failed(
                    org.fedai.payment.BackendFailure.CANCELLED, "cancelled"))), ClientAction.Fail.class)).isEmpty();
            assertThat(noSpare.job.finished()).isFalse();
            assertThat(noSpare.job.state).isEqualTo(ClientJob.State.QUOTED);
        } finally {
            noSpare.close();
        }
    }

    @Test
    void aCancelledHoldEndsTheJobRefunded() {
        walk.start(PaymentTiming.HOLD, List.of("a"));
        walk.quoted(PaymentTiming.HOLD, 0);
        byte[] preimage = ClientMachineWalk.random32();
        ClientAction.LookUpLater look = of(walk.payAll(walk.invoiced(walk.invoice(walk.holdBolt11(PRICE, preimage),
                PRICE, 1, 1))), ClientAction.LookUpLater.class).get(0);
        walk.nodeWallet.cancel(Sha256.hash(preimage));
        assertThat(of(walk.feed(new ClientInput.LookedUp(look, walk.payer.lookUp(look.paymentHashHex()))),
                ClientAction.Fail.class)).singleElement().satisfies(f -> assertThat(f.why()).contains("refunded"));
        assertThat(walk.network.balance("client")).isEqualTo(FUNDS);
    }

    @Test
    void atomicPaysOnlyTheInvoiceTheLockCommitsToAndOpensTheResultWithItsPreimage() {
        walk.start(PaymentTiming.ATOMIC, List.of("a"));
        walk.quoted(PaymentTiming.ATOMIC, 0);
        byte[] preimage = ClientMachineWalk.random32();
        AtomicResult.Locked locked = AtomicResult.lock("[3]", preimage, walk.job.jobId.hex(), new SecureRandom());
        JobResult part = new JobResult(walk.job.jobId.hex(), "vectors", locked.ciphertext(), 1, 1, JobResult.sha256("[3]"),
                1, "texts", Optional.of(locked.lock()));
        delivered(part);
        assertThat(walk.invoiced(walk.invoice(walk.bolt11(walk.nodeWallet, PRICE), PRICE, 1, 1)))
                .containsExactly(new ClientAction.Count("invoice_hash_not_committed"));

        String committed = walk.holdBolt11(PRICE, preimage); // an invoice for the lock's hash, settled at once
        walk.nodeWallet.settle(preimage);
        List<ClientAction> paid = walk.invoiced(walk.invoice(committed, PRICE, 1, 1));
        assertThat(of(paid, ClientAction.Pay.class)).singleElement();
        ClientAction.Pay pay = of(paid, ClientAction.Pay.class).get(0);
        List<ClientAction> opened = walk.feed(new ClientInput.PayAnswered(pay, new PayResult.Paid(
                Sha256.hash(preimage), preimage, PRICE)));
        assertThat(opened).contains(new ClientAction.Complete("vectors", "[3]"));
    }

    /**
     * Hold quoted with the node's spare hold invoice: paid into on the quote (the node sends no 4402), held until the
     * node settles on delivery. Atomic quoted with one: nothing is paid before the locked result is in hand, whose lock
     * must name the quoted invoice's hash; then it is paid, and its preimage opens the result. Invariants: "never paid
     * ahead of the work" (atomic) and "each invoice paid once".
     */
    @Test
    void holdAndAtomicPayTheQuotedSpareHoldInvoiceOnTheirOwnTerms() throws Exception {
        walk.start(PaymentTiming.HOLD, List.of("a"));
        byte[] preimage = ClientMachineWalk.random32();
        String spare = walk.spareHoldBolt11(PRICE, preimage);
        List<ClientAction> quoted = walk.feed(new ClientInput.QuoteReceived(walk.signed(walk.router, FedaiKind.QUOTE),
                walk.quote(PaymentTiming.HOLD, 0).toBuilder().nodeInvoice(spare).build()));
        assertThat(of(quoted, ClientAction.Pay.class)).singleElement()
                .satisfies(p -> assertThat(p.bolt11()).isEqualTo(spare));
        assertThat(of(walk.payAll(quoted), ClientAction.LookUpLater.class)).as("held, not settled").hasSize(1);
        assertThat(walk.network.balance("client")).as("locked once").isEqualTo(FUNDS - PRICE);

        ClientMachineWalk atomic = new ClientMachineWalk(java.nio.file.Files.createDirectories(dir.resolve("atomic")));
        try {
            atomic.start(PaymentTiming.ATOMIC, List.of("a"));
            byte[] key = ClientMachineWalk.random32();
            String committed = atomic.spareHoldBolt11(PRICE, key);
            atomic.feed(new ClientInput.QuoteReceived(atomic.signed(atomic.router, FedaiKind.QUOTE),
                    atomic.quote(PaymentTiming.ATOMIC, 0).toBuilder().nodeInvoice(committed).build()));
            assertThat(of(atomic.taken, ClientAction.Pay.class)).as("nothing paid before the locked result").isEmpty();
            AtomicResult.Locked locked = AtomicResult.lock("[3]", key, atomic.job.jobId.hex(), new SecureRandom());
            List<ClientAction> delivered = atomic.feed(new ClientInput.ResultReceived(atomic.signed(atomic.node,
                    FedaiKind.JOB_RESULT), new JobResult(atomic.job.jobId.hex(), "vectors", locked.ciphertext(), 1, 1,
                    JobResult.sha256("[3]"), 1, "texts", Optional.of(locked.lock()))));
            ClientAction.Pay pay = of(delivered, ClientAction.Pay.class).get(0);
            assertThat(pay.bolt11()).isEqualTo(committed);
            atomic.nodeWallet.settle(key);
            assertThat(atomic.feed(new ClientInput.PayAnswered(pay, new PayResult.Paid(Sha256.hash(key), key, PRICE))))
                    .contains(new ClientAction.Complete("vectors", "[3]"));
        } finally {
            atomic.close();
        }
    }

    @Test
    void partialNeverPaysAheadOfTheWorkAndPaysTheFeeWithTheFirstPart() {
        walk.start(PaymentTiming.PARTIAL, List.of("a", "b"));
        walk.quoted(PaymentTiming.PARTIAL, FEE);
        long half = PaymentTiming.partPriceMsat(PRICE, 2, 1);
        List<ClientAction> first = walk.invoiced(walk.invoice(walk.bolt11(walk.nodeWallet, half), half, 1, 2));
        List<ClientAction> second = walk.invoiced(walk.invoice(walk.bolt11(walk.nodeWallet, PRICE - half),
                PRICE - half, 2, 2));
        assertThat(of(second, ClientAction.Pay.class)).as("never paid ahead of the work").isEmpty();
        List<ClientAction> paidFirst = walk.payAll(first);
        assertThat(of(paidFirst, ClientAction.PublishProof.class)).singleElement()
                .satisfies(p -> assertThat(p.paid()).as("the fee with the first part").hasSize(2));

        List<ClientAction> afterPart1 = walk.payAll(delivered(result("[1]", 1, 2)));
        assertThat(of(afterPart1, ClientAction.Pay.class)).singleElement()
                .satisfies(p -> assertThat(p.payee()).isEqualTo(ClientAction.Payee.part(2)));
        assertThat(delivered(result("[2]", 2, 2))).contains(new ClientAction.Complete("vectors", "[1,2]"));
        assertThat(walk.network.balance("client")).as("paid once").isEqualTo(FUNDS - PRICE - FEE);
    }

    @Test
    void externalHandsTheInvoiceOnAndProvesTheNodesRevealOnlyIfItsPreimageFits() {
        walk.start(PaymentTiming.EXTERNAL, List.of("a"));
        walk.quoted(PaymentTiming.EXTERNAL, 0);
        byte[] preimage = ClientMachineWalk.random32();
        String bolt11 = walk.holdBolt11(PRICE, preimage);
        assertThat(walk.invoiced(walk.invoice(bolt11, PRICE, 1, 1)))
                .contains(new ClientAction.HandToOutsidePayer(walk.invoice(bolt11, PRICE, 1, 1)));
        assertThat(walk.invoiced(walk.invoice(bolt11, PRICE, 1, 1).settledWith(Hex.encode(new byte[32]))))
                .containsExactly(new ClientAction.Count("preimage_mismatch"));
        List<ClientAction> revealed = walk.invoiced(walk.invoice(bolt11, PRICE, 1, 1)
                .settledWith(Hex.encode(preimage)));
        assertThat(revealed.get(0)).isEqualTo(new ClientAction.RecordPayment(bolt11, Hex.encode(preimage), Msat.of(PRICE)));
        assertThat(of(revealed, ClientAction.SendProof.class)).hasSize(1);
    }

    @Test
    void anExternalResultBeforeItsRevealIsKeptUntilTheRevealIsProvedOrDeliverByHandsItOver() throws Exception {
        // run_on_payment: the node runs on its wallet's settlement and reveals beside the run
        walk.start(PaymentTiming.EXTERNAL, List.of("a"));
        walk.quoted(PaymentTiming.EXTERNAL, 0);
        byte[] preimage = ClientMachineWalk.random32();
        String bolt11 = walk.holdBolt11(PRICE, preimage);
        walk.invoiced(walk.invoice(bolt11, PRICE, 1, 1));
        assertThat(delivered(result("[5]", 1, 1))).doesNotContain(new ClientAction.Complete("vectors", "[5]"));
        List<ClientAction> revealed = walk.invoiced(walk.invoice(bolt11, PRICE, 1, 1).settledWith(Hex.encode(preimage)));
        assertThat(of(revealed, ClientAction.SendProof.class)).hasSize(1);
        assertThat(revealed).contains(new ClientAction.Complete("vectors", "[5]"));

        ClientMachineWalk late = new ClientMachineWalk(java.nio.file.Files.createDirectories(dir.resolve("late")));
        try {
            late.start(PaymentTiming.EXTERNAL, List.of("a"));
            late.quoted(PaymentTiming.EXTERNAL, 0);
            late.invoiced(late.invoice(late.holdBolt11(PRICE, preimage), PRICE, 1, 1));
            late.feed(new ClientInput.ResultReceived(late.signed(late.node, FedaiKind.JOB_RESULT),
                    new JobResult(late.job.jobId.hex(), "vectors", "[6]", 1, 1, JobResult.sha256("[6]"), 1, "texts")));
            assertThat(late.feed(new ClientInput.DeadlinePassed())).as("the node ran only once paid: the result is the"
                    + " client's").contains(new ClientAction.Complete("vectors", "[6]"));
        } finally {
            late.close();
        }
    }

    @Test
    void anExternalJobWithNoOutsidePayerFailsAtItsInvoice() {
        walk.paysExternally = false;
        walk.start(PaymentTiming.EXTERNAL, List.of("a"));
        walk.quoted(PaymentTiming.EXTERNAL, 0);
        assertThat(of(walk.invoiced(walk.invoice(walk.bolt11(walk.nodeWallet, PRICE), PRICE, 1, 1)),
                ClientAction.Fail.class)).singleElement();
    }

    @Test
    void aFreeJobEndsWithItsResultAndPaysNothing() {
        walk.start(PaymentTiming.FREE, List.of("a"));
        walk.quoted(PaymentTiming.FREE, 0);
        assertThat(delivered(result("[4]", 1, 1))).contains(new ClientAction.Complete("vectors", "[4]"));
        assertThat(of(walk.taken, ClientAction.Pay.class)).isEmpty();
    }

    @Test
    void anInvoiceBeforeItsQuoteIsKeptAndTakenAgainOnceTheQuoteIsIn() {
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        assertThat(walk.feed(new ClientInput.InvoiceReceived(walk.signed(walk.node, FedaiKind.INVOICE),
                walk.invoice(walk.bolt11(walk.nodeWallet, PRICE), PRICE, 1, 1)))).isEmpty();
        assertThat(of(walk.quoted(PaymentTiming.BEFORE, 0), ClientAction.Replay.class)).singleElement()
                .satisfies(r -> assertThat(r.events()).hasSize(1));
    }

    @Test
    void aSilentRouterHandsTheSubmissionToTheNextOneAndTheLastOnesSilenceFailsIt() {
        walk.start(PaymentTiming.BEFORE, List.of("a"), "ab".repeat(32));
        List<ClientAction> timedOut = walk.feed(new ClientInput.QuoteTimedOut(2_000));
        assertThat(timedOut).contains(new ClientAction.TryNextRouter());
        assertThat(walk.job.failedOver).isTrue();
        assertThat(of(walk.quoted(PaymentTiming.BEFORE, 0), ClientAction.Count.class))
                .containsExactly(new ClientAction.Count("quote_after_failover"));

        walk.start(PaymentTiming.BEFORE, List.of("a"));
        assertThat(of(walk.feed(new ClientInput.QuoteTimedOut(2_000)), ClientAction.Fail.class)).singleElement();
    }

    @Test
    void theRoutersRefusalEndsTheJobAndANodesErrorToo() {
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        JobStatus refusal = new JobStatus(walk.job.jobId.hex(), walk.client.publicKey(), walk.router.publicKey(),
                JobStatus.State.ERROR, "", "no_capacity");
        assertThat(of(walk.feed(new ClientInput.StatusReceived(walk.signed(walk.router, FedaiKind.JOB_STATUS),
                refusal)), ClientAction.Fail.class)).singleElement()
                .satisfies(f -> assertThat(f.why()).contains("no_capacity"));
    }

    @Test
    void aResumedJobSendsWhatItStillOwes() {
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        walk.quoted(PaymentTiming.BEFORE, 0);
        assertThat(walk.feed(new ClientInput.Resumed(List.of(), Optional.empty())))
                .containsExactly(new ClientAction.PublishInput());

        String bolt11 = walk.bolt11(walk.nodeWallet, PRICE);
        walk.job.state = ClientJob.State.PAYING; // journaled PAYING; its payment was journaled before the crash
        assertThat(walk.payer.pay(walk.job.jobId, bolt11, Msat.of(PRICE))).isInstanceOf(PayResult.Paid.class);
        List<ClientAction> resumed = walk.feed(new ClientInput.Resumed(walk.journal.paymentsFor(walk.job.jobId),
                Optional.empty()));
        assertThat(resumed.get(0)).isEqualTo(new ClientAction.RecordState(ClientJob.State.PAID,
                ClientMachineWalk.key(walk.node)));
        assertThat(of(resumed, ClientAction.SendProof.class)).hasSize(1);
        assertThat(walk.job.paidMsat()).isEqualTo(Msat.of(PRICE));
    }

    @Test
    void aLookupThatFindsNothingLooksAgainOnlyUntilTheInvoiceExpires() {
        walk.start(PaymentTiming.HOLD, List.of("a"));
        walk.quoted(PaymentTiming.HOLD, 0);
        ClientAction.LookUpLater look = new ClientAction.LookUpLater(ClientAction.Payee.NODE, "lnbc", Msat.of(PRICE),
                "00".repeat(32), walk.nowMs / 1000 + 1);
        assertThat(walk.feed(new ClientInput.LookedUp(look, Optional.<LookupResult.Found>empty())))
                .containsExactly(look);
        walk.nowMs += 2_000;
        assertThat(walk.feed(new ClientInput.LookedUp(look, Optional.empty()))).isEmpty();
    }
}
