package org.fedai.store;

/**
 * An outgoing payment of a ledger account, one per payment hash.
 *
 * @param preimage the proof of payment, once {@link State#SUCCEEDED}; null before
 */
public record LedgerPayment(String paymentHash, String payer, long amountMsat, State state, String preimage,
                            long createdAt, long updatedAt) {

    public enum State {
        /** Funds locked in a hold invoice. */
        PENDING,
        /** The payee settled: the payer has the preimage. */
        SUCCEEDED,
        /** The payee cancelled a held payment: the funds came back. */
        REFUNDED
    }
}
