package org.fedai.roles.router.machine;

import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.payment.Bolt11Codec;
import org.fedai.store.Durability;
import org.fedai.store.RouterQuoteRow;

/**
 * Everything the router's job machine does differently per payment timing (event-kinds/market-flow.md), in one
 * place: which event orders the work, what a proof then does, whether the order opens a debt, and how hard the
 * job's rows are journalled. Adding a timing is adding a constant here.
 */
public enum RouterTiming {
    BEFORE(OrderOn.PROOF, ProofUse.ORDERS),
    /** {@code before} for a NIP-90 customer: the node reveals the preimage, the client proves it. */
    EXTERNAL(OrderOn.PROOF, ProofUse.ORDERS),
    /** Work done before any payment, so ordered only once the node holds the input. */
    AFTER(OrderOn.INPUT, ProofUse.CLEARS_DEBT),
    ATOMIC(OrderOn.INPUT, ProofUse.CLEARS_DEBT),
    /** The client's payment is held by the node's hold invoice: ordered on accept, the proof follows settlement. */
    HOLD(OrderOn.ACCEPT, ProofUse.CLEARS_DEBT),
    /** One hold invoice per part, each proved as it settles; nothing runs unpaid, so no debt. */
    PARTIAL(OrderOn.ACCEPT, ProofUse.PER_PART),
    /** Priced at zero: no invoice, no proof; ordered on accept only when the journalled quote priced nothing. */
    FREE(OrderOn.ACCEPT, ProofUse.NONE);

    /** The event that lets the router send the work order. */
    public enum OrderOn { ACCEPT, INPUT, PROOF }

    /** What a verified 4403 proof does for a job of this timing. */
    public enum ProofUse { ORDERS, CLEARS_DEBT, PER_PART, NONE }

    private final OrderOn orderOn;
    private final ProofUse proofUse;

    RouterTiming(OrderOn orderOn, ProofUse proofUse) {
        this.orderOn = orderOn;
        this.proofUse = proofUse;
    }

    /** The timing a journalled quote names; an unknown code is treated as {@code before}, which never runs unpaid. */
    public static RouterTiming of(PaymentTiming timing) {
        return valueOf(timing.name());
    }

    public ProofUse proofUse() {
        return proofUse;
    }

    /** The one authorization a work order of this timing carries. */
    public WorkAuthorization authorization() {
        return WorkAuthorization.forTiming(PaymentTiming.valueOf(name()));
    }

    /**
     * What the node's {@code accepted} authorises without a proof: hold and partial work, or free work, and free
     * only when the journalled quote priced nothing (whatever its timing says, a priced job never runs unpaid).
     */
    public Optional<WorkAuthorization> orderOnAccept(RouterQuoteRow quote) {
        if (ordersSpareOnAccept(quote)) {
            return Optional.of(WorkAuthorization.PAID);
        }
        if (orderOn != OrderOn.ACCEPT || (this == FREE && (!quote.nodePrice().isZero() || !quote.fee().isZero()))) {
            return Optional.empty();
        }
        return Optional.of(authorization());
    }

    /**
     * A {@code before} quote that carried the node's spare and said {@code run_on_payment}: its client pays into the
     * spare, a hold invoice, on the quote, before any node took the job; the router orders the work on the node's
     * {@code accepted} (naming the spare's payment hash), and the node runs, settling that payment, only on this
     * order. So the router's decision is the one that counts: a node it gave the job up on (no accepted before its
     * accept clock ran out) never gets the order, never settles, and its client's payment goes back to it, which lets
     * the client take the failover quote. The proof follows the settlement and is verified beside the run.
     */
    public static boolean ordersSpareOnAccept(RouterQuoteRow quote) {
        return spareSettledOnOrder(quote) && quote.runOnPayment();
    }

    /**
     * A {@code before} quote that carried the node's spare without {@code run_on_payment} (a client whose fee credit
     * does not cover the fee: a newcomer): the client pays the router's fee first and proves it alone, then pays into
     * the spare; the router orders the work once the node accepted and the fee is verified, whichever comes second,
     * naming the spare's hash. The node settles and runs on that order and its wallet's word that the payment is held,
     * as under {@link #ordersSpareOnAccept}, so the node's preimage is proved after the order.
     */
    public static boolean ordersSpareOnFeeProof(RouterQuoteRow quote) {
        return spareSettledOnOrder(quote) && !quote.runOnPayment();
    }

    /**
     * A {@code before} quote carrying the node's spare, a hold invoice the node settles only on the router's order:
     * ordered before the node's payment is proved, which the proof, the metering record and the non-delivery watch
     * allow for.
     */
    public static boolean spareSettledOnOrder(RouterQuoteRow quote) {
        return quote.timing() == PaymentTiming.BEFORE && !quote.nodeInvoice().isEmpty();
    }

    /** The order for a quote {@link #ordersSpareOnFeeProof}: its node accepted and its fee is verified. */
    public static boolean feeProvedAndAccepted(RouterQuoteRow quote, boolean accepted, java.util.Set<String> verified) {
        return ordersSpareOnFeeProof(quote) && accepted && verified.contains(quote.feePaymentHash());
    }

    /**
     * A quote whose client pays the router's fee on the quote itself, before any node accepted: {@code run_on_payment}
     * (the fee beside the node's price), or carrying the node's spare. A failover from it keeps its fee invoice.
     */
    public static boolean feePaidOnQuote(RouterQuoteRow quote) {
        return of(quote.timing()).paidBeforeWork() && !quote.fee().isZero()
                && (quote.runOnPayment() || !quote.nodeInvoice().isEmpty());
    }

    /** The payment hash of the node's spare a quote carried (hex); empty when it carries none a decoder reads. */
    public static Optional<String> spareHash(RouterQuoteRow quote) {
        try {
            return quote.nodeInvoice().isEmpty() ? Optional.empty()
                    : Optional.of(Bolt11Codec.decode(quote.nodeInvoice()).paymentHashHex());
        } catch (RuntimeException malformed) {
            return Optional.empty(); // the router checked every spare it keeps: only a hand-made row gets here
        }
    }

    /** What a work order on a {@code before} spare names: the spare's payment hash (none for a quote without one). */
    public static java.util.List<String> spareHashes(RouterQuoteRow quote) {
        return spareSettledOnOrder(quote) ? spareHash(quote).map(java.util.List::of).orElse(java.util.List.of())
                : java.util.List.of();
    }

    /** {@code after} and {@code atomic}: ordered when the node says it holds the input. */
    public boolean ordersOnInput() {
        return orderOn == OrderOn.INPUT;
    }

    /** Ordered before the proof, which then settles the job: after, hold, atomic and partial. */
    public boolean deferred() {
        return proofUse == ProofUse.CLEARS_DEBT || proofUse == ProofUse.PER_PART;
    }

    /** Whether the work order opens a debt that the client's proof clears (waived when the node fails). */
    public boolean opensDebt() {
        return proofUse == ProofUse.CLEARS_DEBT;
    }

    /**
     * Free work, work paid after it ({@code after}, {@code atomic}), and {@code before} or {@code external} work quoted
     * {@code run_on_payment}: the node runs once it holds the quote and the input (and, paid, once its own wallet shows
     * the invoice settled), without waiting for the work order, which follows beside it (issue 17); its metering
     * record may then come first and waits for the order.
     */
    public static boolean runsBeforeOrder(RouterQuoteRow quote) {
        RouterTiming timing = of(quote.timing());
        return timing == FREE || timing.ordersOnInput() || timing.paidBeforeWork() && quote.runOnPayment();
    }

    /**
     * Whether a quote at {@code fee} for {@code timing} says {@code run_on_payment}: before and external work, when
     * there is no fee to lose or the client's fee credit covers it (4401-quote.md).
     */
    public static boolean runsOnPayment(PaymentTiming timing, Msat fee, Msat feeCredit) {
        return of(timing).paidBeforeWork() && fee.compareTo(feeCredit) <= 0;
    }

    /** Paid before the work, proved, then ordered: before, and external (paid by someone outside fedai). */
    public boolean paidBeforeWork() {
        return orderOn == OrderOn.PROOF;
    }

    /** Free work owes nothing: its rows may be lost to a power cut. Everything else is fsynced. */
    public Durability durability() {
        return this == FREE ? Durability.RELAXED : Durability.SYNCED;
    }
}
