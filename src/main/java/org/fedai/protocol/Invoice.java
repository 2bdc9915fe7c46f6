package org.fedai.protocol;

/**
 * Kind 4402 (event-kinds/4402-invoice.md): a node's BOLT11 invoice for a job, sealed to the client.
 * Partial work is billed as parts {@code part} of {@code parts}, one invoice each, since HTLCs are
 * all-or-nothing.
 *
 * @param preimage "" for an invoice to pay; for timing {@code external}, the hex preimage the node reveals once its
 *                 wallet shows the invoice settled (the payer outside fedai never shows it)
 */
public record Invoice(String jobId, String bolt11, long amountMsat, int part, int parts, long expiresAt,
        String preimage) {

    public Invoice {
        if (parts < 1 || part < 1 || part > parts) {
            throw new IllegalArgumentException("part must be in 1..parts");
        }
        preimage = preimage == null ? "" : preimage;
        if (!preimage.isEmpty() && !preimage.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a preimage is 64 lower-case hex digits");
        }
    }

    public Invoice(String jobId, String bolt11, long amountMsat, int part, int parts, long expiresAt) {
        this(jobId, bolt11, amountMsat, part, parts, expiresAt, "");
    }

    /** The same invoice with the preimage its settlement revealed (timing {@code external}). */
    public Invoice settledWith(String preimageHex) {
        return new Invoice(jobId, bolt11, amountMsat, part, parts, expiresAt, preimageHex);
    }

    public boolean settled() {
        return !preimage.isEmpty();
    }
}
