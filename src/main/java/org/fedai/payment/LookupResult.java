package org.fedai.payment;

import java.util.Optional;
import java.util.OptionalLong;
import org.fedai.store.InvoiceState;

/** The outcome of looking up one of a backend's invoices. */
public sealed interface LookupResult {

    /**
     * @param amountMsat the invoice amount (empty for any amount)
     * @param paidMsat   what was paid, once held or settled
     * @param preimage   known to the payee for plain invoices, and for hold invoices once settled
     */
    record Found(byte[] paymentHash, String bolt11, InvoiceState state, OptionalLong amountMsat,
                 OptionalLong paidMsat, Optional<byte[]> preimage, long expiresAt) implements LookupResult {
        public Found {
            paymentHash = paymentHash.clone();
        }

        @Override
        public byte[] paymentHash() {
            return paymentHash.clone();
        }
    }

    record NotFound(byte[] paymentHash) implements LookupResult {
    }

    record Failed(BackendFailure reason, String detail) implements LookupResult {
    }
}
