package org.fedai.roles.node.machine;

import org.fedai.store.NodeJob;

/**
 * What each payment timing means to the node (event-kinds/market-flow.md): what it invoices when it accepts, what
 * lets the work run, what the result and its metering record carry, and what is owed after delivery. The one place
 * the node's job flow branches on the timing: adding a timing adds a constant here.
 */
public enum NodeTiming {
    /** Paid and proved before the work order; the node's own wallet must show the invoice settled. */
    BEFORE(Billing.INVOICE, AfterDelivery.NOTHING),
    /** Paid by someone outside fedai, then proved like {@code before} (the node reveals the settled preimage). */
    EXTERNAL(Billing.INVOICE, AfterDelivery.NOTHING),
    /**
     * Work first, invoice after; a second metering record names the payment once the wallet shows it. The invoice is
     * made at acceptance (its amount is the quote's) and kept unsent, so that it goes out with the result instead of
     * two wallet hops after it.
     */
    AFTER(Billing.INVOICE_KEPT, AfterDelivery.INVOICE),
    /** A hold invoice at acceptance; the run waits for the held payment, which is settled on delivery. */
    HOLD(Billing.HOLD_INVOICE, AfterDelivery.SETTLE),
    /** The result locked under a fresh preimage, the hold invoice for it after; paying it hands over the key. */
    ATOMIC(Billing.NONE, AfterDelivery.INVOICE_LOCKED),
    /** One hold invoice per input text, each part run once held, delivered, then settled. */
    PARTIAL(Billing.FIRST_PART, AfterDelivery.NOTHING),
    /** Given away: no invoice, no payment hash. */
    FREE(Billing.NONE, AfterDelivery.NOTHING);

    /**
     * What the node asks its wallet for once it accepted the job; {@code INVOICE_KEPT}: an invoice journalled but sent
     * only with the result.
     */
    public enum Billing { NONE, INVOICE, INVOICE_KEPT, HOLD_INVOICE, FIRST_PART }

    /** What is owed once the result is out. */
    public enum AfterDelivery { NOTHING, INVOICE, SETTLE, INVOICE_LOCKED }

    private final Billing atAcceptance;
    private final AfterDelivery afterDelivery;

    NodeTiming(Billing atAcceptance, AfterDelivery afterDelivery) {
        this.atAcceptance = atAcceptance;
        this.afterDelivery = afterDelivery;
    }

    /** The timing of a journalled job. */
    public static NodeTiming of(NodeJob job) {
        return valueOf(job.terms().timing().name());
    }

    public Billing atAcceptance() {
        return atAcceptance;
    }

    public AfterDelivery afterDelivery() {
        return afterDelivery;
    }

    /** The work order must name the node's own settled invoice, and the wallet must show it settled. */
    public boolean paidBeforeWork() {
        return this == BEFORE || this == EXTERNAL;
    }

    /** The run waits until the node's wallet holds the client's payment. */
    public boolean runsOnHeldPayment() {
        return this == HOLD;
    }

    /** The metering record goes out with the result; hold meters once it settled, with the hash it settled. */
    public boolean metersAtDelivery() {
        return this != HOLD;
    }

    /** A hold invoice stays cancellable after the work order: cancelling it refunds the client's locked payment. */
    public boolean cancelsAfterOrder() {
        return this == HOLD;
    }

    /**
     * Free work, and work paid after it ({@code after}, {@code atomic}), runs once the node holds the quote and the
     * input: nothing is paid before it, so the router's work order (on {@code accepted} for free work, on
     * {@code input_received} for the others, with the client's debt) only confirms it, and follows beside the run
     * instead of before it (issue 17: two relay hops off the way to the result). The node takes on no more than the
     * timing already asked of it: pay-after work was always done before any payment.
     */
    public boolean runsWithoutOrder() {
        return this == FREE || this == AFTER || this == ATOMIC;
    }

    /**
     * A {@code before} or {@code external} job the router quoted {@code run_on_payment}: it runs once the node's own wallet shows its
     * invoice settled and the input is in hand; the work order, which follows the client's proof, confirms it. The
     * node never works unpaid: the settlement is its own wallet's word, as the order's check would have been.
     */
    public static boolean runsOnOwnSettlement(NodeJob job) {
        return of(job).paidBeforeWork() && job.terms().runOnPayment();
    }

    /** The invoice is made at acceptance and sent with the result ({@link Billing#INVOICE_KEPT}). */
    public boolean keepsInvoiceUntilDelivery() {
        return atAcceptance == Billing.INVOICE_KEPT;
    }

    public boolean partial() {
        return this == PARTIAL;
    }
}
