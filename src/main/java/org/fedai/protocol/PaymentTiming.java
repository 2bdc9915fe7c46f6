package org.fedai.protocol;

/** When the client pays: before the work order (default) or after a successful result. */
public enum PaymentTiming {
    BEFORE, AFTER;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
