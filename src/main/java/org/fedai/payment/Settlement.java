package org.fedai.payment;

/** An invoice of ours was paid for good: the event a node waits for before it starts (or releases) work. */
public record Settlement(byte[] paymentHash, long amountMsat, byte[] preimage, long settledAt) {

    public Settlement {
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
