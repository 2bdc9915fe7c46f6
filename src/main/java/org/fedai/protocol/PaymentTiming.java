package org.fedai.protocol;

/**
 * When the client pays: before the work order (default), after a successful result, or never: {@code FREE}
 * work is priced at zero (node price and router fee), so there is no invoice, no proof, and the work order
 * follows the node's {@code accepted} directly.
 */
public enum PaymentTiming {
    BEFORE, AFTER, FREE;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
