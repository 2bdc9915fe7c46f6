package org.fedai.payment;

import java.util.OptionalLong;

/**
 * What an invoice should ask for. Exactly one of {@code description} and {@code descriptionHash}
 * (fedai binds invoices to jobs with the hash, see {@link JobBinding}).
 *
 * @param amountMsat    empty for an "any amount" invoice
 * @param expirySeconds how long the invoice stays payable
 */
public record InvoiceRequest(OptionalLong amountMsat, String description, byte[] descriptionHash, long expirySeconds) {

    public InvoiceRequest {
        if (amountMsat == null || (amountMsat.isPresent() && amountMsat.getAsLong() <= 0)) {
            throw new IllegalArgumentException("amount must be empty or positive");
        }
        if ((description == null) == (descriptionHash == null)) {
            throw new IllegalArgumentException("give exactly one of description and description hash");
        }
        if (descriptionHash != null) {
            if (descriptionHash.length != 32) {
                throw new IllegalArgumentException("description hash must be 32 bytes");
            }
            descriptionHash = descriptionHash.clone();
        }
        if (expirySeconds <= 0) {
            throw new IllegalArgumentException("expiry must be positive");
        }
    }

    /** An invoice for a job: the amount, the job's binding as description hash. */
    public static InvoiceRequest forJob(long amountMsat, JobBinding binding, long expirySeconds) {
        return new InvoiceRequest(OptionalLong.of(amountMsat), null, binding.descriptionHash(), expirySeconds);
    }

    /** A spare, made before its job: the amount, the router's spare binding as description hash. */
    public static InvoiceRequest spare(long amountMsat, SpareBinding binding, long expirySeconds) {
        return new InvoiceRequest(OptionalLong.of(amountMsat), null, binding.descriptionHash(), expirySeconds);
    }

    @Override
    public byte[] descriptionHash() {
        return descriptionHash == null ? null : descriptionHash.clone();
    }
}
