package org.fedai.store;

/** The life of an invoice in a wallet ledger (LND's OPEN / ACCEPTED / SETTLED / CANCELED, plus EXPIRED). */
public enum InvoiceState {
    /** Payable. */
    OPEN,
    /** A hold invoice the payer has paid: the funds are locked until the payee settles or cancels. */
    HELD,
    /** Paid and final: the payer holds the preimage. */
    SETTLED,
    /** Cancelled by the payee; locked funds went back to the payer. */
    CANCELLED,
    /** Passed its expiry while still open. */
    EXPIRED;

    public boolean isFinal() {
        return this == SETTLED || this == CANCELLED || this == EXPIRED;
    }
}
