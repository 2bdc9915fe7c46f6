package org.fedai.payment;

/**
 * One of our outgoing payments settled (NIP-47 {@code payment_sent}): its hash and the preimage that proves it, as our
 * own wallet reports them. What a payer waiting on a held payment (hold, atomic, partial) waits for.
 */
public record PaymentSent(byte[] paymentHash, byte[] preimage) {

    public PaymentSent {
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
