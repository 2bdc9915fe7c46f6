package org.fedai.protocol.nip90;

import java.util.Optional;

/** A 7000 feedback's {@code status}. */
public enum Nip90Status {
    PAYMENT_REQUIRED, PROCESSING, ERROR, SUCCESS, PARTIAL;

    /** The wire form: {@code payment-required}, {@code processing}, ... */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static Optional<Nip90Status> ofCode(String code) {
        for (Nip90Status s : values()) {
            if (s.code().equals(code)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
