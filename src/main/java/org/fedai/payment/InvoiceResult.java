package org.fedai.payment;

/** The outcome of making an invoice. */
public sealed interface InvoiceResult {

    /** @param expiresAt unix seconds after which the invoice cannot be paid */
    record Created(String bolt11, byte[] paymentHash, long expiresAt) implements InvoiceResult {
        public Created {
            paymentHash = paymentHash.clone();
        }

        @Override
        public byte[] paymentHash() {
            return paymentHash.clone();
        }
    }

    record Failed(BackendFailure reason, String detail) implements InvoiceResult {
    }
}
