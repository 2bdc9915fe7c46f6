package org.fedai.payment;

/** The outcome of paying an invoice. */
public sealed interface PayResult {

    /** Settled: the preimage is the proof of payment. */
    record Paid(byte[] paymentHash, byte[] preimage, long amountMsat) implements PayResult {
        public Paid {
            paymentHash = paymentHash.clone();
            preimage = preimage.clone();
        }

        @Override
        public byte[] paymentHash() {
            return paymentHash.clone();
        }

        @Override
        public byte[] preimage() {
            return preimage.clone();
        }
    }

    /** A hold invoice: the amount is locked until the payee settles (then lookup shows the preimage) or cancels. */
    record Pending(byte[] paymentHash, long amountMsat) implements PayResult {
        public Pending {
            paymentHash = paymentHash.clone();
        }

        @Override
        public byte[] paymentHash() {
            return paymentHash.clone();
        }
    }

    record Failed(BackendFailure reason, String detail) implements PayResult {
    }
}
