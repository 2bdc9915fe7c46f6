package org.fedai.payment;

/** Why a payment backend refused or failed an operation. */
public enum BackendFailure {
    /** The invoice string does not decode or its signature is bad. */
    INVALID_INVOICE,
    /** The invoice is for another chain than the backend's. */
    WRONG_NETWORK,
    /** No such invoice (or, for pay, no route: the payee is unreachable from this backend). */
    UNKNOWN_INVOICE,
    /** The invoice was paid already: each payment hash is paid once. */
    ALREADY_PAID,
    /** The invoice was cancelled. */
    CANCELLED,
    /** The invoice expired before payment. */
    EXPIRED,
    /** The balance does not cover the amount. */
    INSUFFICIENT_BALANCE,
    /** The amount given is missing (any-amount invoice), not positive, or differs from the invoice's. */
    BAD_AMOUNT,
    /** A wallet may not pay its own invoice. */
    SELF_PAYMENT,
    /** Settle on a hold invoice nobody has paid yet, or on a plain invoice. */
    NOT_HELD,
    /** The preimage does not hash to any of this backend's held invoices. */
    PREIMAGE_MISMATCH,
    /** Settle or cancel on an invoice already settled, cancelled or expired. */
    ALREADY_FINAL,
    /** A hold invoice for a payment hash already invoiced. */
    DUPLICATE_PAYMENT_HASH,
    /** The request itself is unusable (a payment hash of the wrong size, a description too long). */
    INVALID_REQUEST,
    /** The backend itself failed (storage, connection). */
    BACKEND_ERROR,
    /** The wallet tried and could not pay (no route, the payee refused): nothing was paid. */
    PAYMENT_FAILED,
    /**
     * A remote wallet did not answer in time and a lookup could not tell whether the payment went through:
     * it may still complete. Look it up later; never pay the same invoice again with another backend.
     */
    OUTCOME_UNKNOWN
}
