package org.fedai.payment.nwc;

import java.util.Optional;

/** NIP-47 error codes, spelled on the wire exactly as their names. */
public enum NwcErrorCode {
    /** The client is sending commands too fast; retry in a few seconds. */
    RATE_LIMITED,
    /** The command is not known or is intentionally not implemented. */
    NOT_IMPLEMENTED,
    /** Not enough funds to cover the amount or a fee reserve. */
    INSUFFICIENT_BALANCE,
    /** The connection's spending quota is exhausted. */
    QUOTA_EXCEEDED,
    /** This key may not do this operation. */
    RESTRICTED,
    /** This key has no wallet connected. */
    UNAUTHORIZED,
    INTERNAL,
    OTHER,
    /** pay_invoice: the payment failed (no route, timeout, capacity...). */
    PAYMENT_FAILED,
    /** lookup_invoice and hold invoices: nothing matches. */
    NOT_FOUND,
    /** The request's encryption scheme is not supported by the wallet service. */
    UNSUPPORTED_ENCRYPTION;

    public static Optional<NwcErrorCode> fromWire(String code) {
        for (NwcErrorCode c : values()) {
            if (c.name().equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
