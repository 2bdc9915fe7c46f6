package org.fedai.payment.nwc;

import java.util.Optional;

/** NIP-47 notification types. */
public enum NwcNotificationType {
    PAYMENT_RECEIVED("payment_received"),
    PAYMENT_SENT("payment_sent"),
    /** A payer locked funds to a hold invoice; the receiver must settle or cancel before settle_deadline. */
    HOLD_INVOICE_ACCEPTED("hold_invoice_accepted");

    private final String wire;

    NwcNotificationType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<NwcNotificationType> fromWire(String name) {
        for (NwcNotificationType t : values()) {
            if (t.wire.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
