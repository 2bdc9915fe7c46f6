package org.fedai.store;

/**
 * An invoice issued by a ledger account. Hashes and preimages are lower-case hex.
 *
 * @param amountMsat null for an "any amount" invoice
 * @param preimage   null for a hold invoice until the payee settles it
 * @param settledAt  null until settled
 * @param payer      the paying account, once paid (held or settled)
 * @param paidMsat   what the payer paid, once paid
 */
public record LedgerInvoice(String paymentHash, String account, String bolt11, Long amountMsat, String preimage,
                            boolean hold, InvoiceState state, long createdAt, long expiresAt, Long settledAt,
                            String payer, Long paidMsat) {

    /** A new open invoice. */
    public static LedgerInvoice open(String paymentHash, String account, String bolt11, Long amountMsat,
                                     String preimage, boolean hold, long createdAt, long expiresAt) {
        return new LedgerInvoice(paymentHash, account, bolt11, amountMsat, preimage, hold, InvoiceState.OPEN,
                createdAt, expiresAt, null, null, null);
    }
}
