package org.fedai.payment;

import org.fedai.nostr.Hex;

/** The verdict on a payment proof. */
public sealed interface ProofResult {

    record Verified(long amountMsat, byte[] paymentHash) implements ProofResult {
        public Verified {
            paymentHash = paymentHash.clone();
        }

        @Override
        public byte[] paymentHash() {
            return paymentHash.clone();
        }

        public String paymentHashHex() {
            return Hex.encode(paymentHash);
        }
    }

    record Rejected(ProofRejection reason, String detail) implements ProofResult {
    }
}
