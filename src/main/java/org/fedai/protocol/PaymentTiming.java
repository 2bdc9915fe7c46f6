package org.fedai.protocol;

/**
 * When the client pays (event-kinds/market-flow.md, "Payment timings"): before the work order (default),
 * after a successful result, into a hold invoice the node settles on delivery, or atomically for a result
 * locked under the invoice's preimage.
 */
public enum PaymentTiming {
    BEFORE, AFTER, HOLD, ATOMIC;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The router orders the work before the client's proof: the client pays (or settles) after it. */
    public boolean orderedBeforeProof() {
        return this != BEFORE;
    }

    public static java.util.Optional<PaymentTiming> ofCode(String code) {
        for (PaymentTiming t : values()) {
            if (t.code().equals(code)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
