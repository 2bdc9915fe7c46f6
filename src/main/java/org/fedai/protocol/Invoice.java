package org.fedai.protocol;

/**
 * Kind 4402 (event-kinds/4402-invoice.md): a node's BOLT11 invoice for a job, sealed to the client.
 * Partial work is billed as parts {@code part} of {@code parts}, one invoice each, since HTLCs are
 * all-or-nothing.
 */
public record Invoice(String jobId, String bolt11, long amountMsat, int part, int parts, long expiresAt) {

    public Invoice {
        if (parts < 1 || part < 1 || part > parts) {
            throw new IllegalArgumentException("part must be in 1..parts");
        }
    }
}
