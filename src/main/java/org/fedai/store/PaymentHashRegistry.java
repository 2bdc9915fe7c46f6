package org.fedai.store;

/**
 * Payment hashes whose preimage has already been accepted as proof: each preimage proves one
 * payment, once. Implementations must make {@link #markSpent} atomic and durable before it returns.
 */
public interface PaymentHashRegistry extends AutoCloseable {

    /**
     * Records the 32-byte hash as spent.
     *
     * @param context what the proof paid for (a job event id), kept for audit
     * @return true if the hash was new, false if it had been spent before
     */
    boolean markSpent(byte[] paymentHash, long spentAtEpochSeconds, String context);

    boolean isSpent(byte[] paymentHash);

    @Override
    void close();
}
