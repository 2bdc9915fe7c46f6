package org.fedai.payment;

/** A refused BOLT #11 invoice, with the rule it broke. */
public final class Bolt11Exception extends IllegalArgumentException {

    private final Bolt11Error error;

    public Bolt11Exception(Bolt11Error error, String detail) {
        super(error + ": " + detail);
        this.error = error;
    }

    public Bolt11Error error() {
        return error;
    }
}
