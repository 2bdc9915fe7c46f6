package org.fedai.domain;

/**
 * When the client pays (event-kinds/market-flow.md, "Payment timings"): before the work order (default),
 * after a successful result, into a hold invoice the node settles on delivery, or atomically for a result
 * locked under the invoice's preimage, or part by part, one hold invoice per part; or never: {@code FREE}
 * work is priced at zero (node price and router fee), so there is no invoice, no proof, and the work order
 * follows the node's {@code accepted} directly. {@code EXTERNAL} is {@code BEFORE} for a payer outside fedai (a NIP-90
 * customer, through a router's gateway): that payer never shows anyone its preimage, so the node, once its own
 * wallet shows the invoice settled, reveals the preimage to the client, which proves it to the router as for
 * {@code BEFORE}. A router takes such specs only from its own gateway, and charges no fee on them.
 */
public enum PaymentTiming {
    BEFORE, AFTER, HOLD, ATOMIC, PARTIAL, FREE, EXTERNAL;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The router orders the work before any proof and the client pays (or settles) after it: after, hold, atomic,
     * partial. Not {@code FREE}, which is ordered at once too but never paid, nor {@code EXTERNAL}, proved first.
     */
    public boolean orderedBeforeProof() {
        return this != BEFORE && this != FREE && this != EXTERNAL;
    }

    /**
     * One invoice pays the whole job, so a node's spare made before the job (4402 "Spare invoices") can be it: all but
     * {@code FREE} (no invoice) and {@code PARTIAL} (an invoice per part, each after the last was delivered).
     */
    public boolean paidBySpare() {
        return this != FREE && this != PARTIAL;
    }

    /** That invoice is a hold invoice for a preimage the node keeps: settled on delivery, or the key to the result. */
    public boolean paidIntoHoldInvoice() {
        return this == HOLD || this == ATOMIC;
    }

    /**
     * The spare that pays it (4402 "Spare invoices") is a hold invoice, for a preimage the node keeps with the spare:
     * under hold and atomic as their own invoice is, and under {@code before} too, because a quoted spare is paid
     * before the node has acknowledged the job. Held, a payment into the spare of a node that has stopped goes back to
     * the client when the hold is cancelled or times out; the node settles it only as it starts the work. Only
     * {@code after} (paid once the result is in) and {@code external} (its payer outside fedai) take plain spares.
     */
    public boolean paidIntoHoldSpare() {
        return this == BEFORE || paidIntoHoldInvoice();
    }

    /** The router takes no fee: nothing to pay it from ({@code FREE}), or one payment only ({@code EXTERNAL}). */
    public boolean feeFree() {
        return this == FREE || this == EXTERNAL;
    }

    /**
     * Timing {@code partial}: what part {@code part} (1-based) of {@code parts} costs, so that the parts sum to
     * {@code total}: an even share, the first {@code total mod parts} parts one msat more.
     */
    public static long partPriceMsat(long total, int parts, int part) {
        if (parts < 1 || part < 1 || part > parts) {
            throw new IllegalArgumentException("part must be in 1..parts");
        }
        return total / parts + (part <= total % parts ? 1 : 0);
    }

    /** Whether {@code amountMsat} is what one of {@code parts} parts of {@code total} costs ({@link #partPriceMsat}). */
    public static boolean isPartPrice(long total, int parts, long amountMsat) {
        return parts >= 1 && (amountMsat == partPriceMsat(total, parts, 1) || amountMsat == partPriceMsat(total, parts,
                parts));
    }

    public static java.util.Optional<PaymentTiming> ofCode(String code) {
        for (PaymentTiming t : values()) {
            if (t.code().equals(code)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
