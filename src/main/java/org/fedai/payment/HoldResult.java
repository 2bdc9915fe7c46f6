package org.fedai.payment;

import org.fedai.store.InvoiceState;

/** The outcome of settling or cancelling an invoice. */
public sealed interface HoldResult {

    /** @param state the invoice's state afterwards: SETTLED or CANCELLED */
    record Done(byte[] paymentHash, InvoiceState state) implements HoldResult {
        public Done {
            paymentHash = paymentHash.clone();
        }

        @Override
        public byte[] paymentHash() {
            return paymentHash.clone();
        }
    }

    record Failed(BackendFailure reason, String detail) implements HoldResult {
    }
}
