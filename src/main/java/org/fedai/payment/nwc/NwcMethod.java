package org.fedai.payment.nwc;

import java.util.Optional;

/** The NIP-47 methods fedai speaks, by their wire names. Offers, keysend and multi-pay are not implemented. */
public enum NwcMethod {
    PAY_INVOICE("pay_invoice"),
    MAKE_INVOICE("make_invoice"),
    LOOKUP_INVOICE("lookup_invoice"),
    GET_BALANCE("get_balance"),
    GET_INFO("get_info"),
    LIST_TRANSACTIONS("list_transactions"),
    MAKE_HOLD_INVOICE("make_hold_invoice"),
    SETTLE_HOLD_INVOICE("settle_hold_invoice"),
    CANCEL_HOLD_INVOICE("cancel_hold_invoice");

    private final String wire;

    NwcMethod(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<NwcMethod> fromWire(String name) {
        for (NwcMethod m : values()) {
            if (m.wire.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
