package org.fedai.payment.nwc;

import java.util.Optional;

/** NIP-47 encryption schemes as named in the {@code encryption} tag. fedai writes only NIP-44 v2. */
public enum NwcEncryption {
    NIP44_V2("nip44_v2"),
    /** Legacy: read from old wallets, never written by fedai. A request without an encryption tag means this. */
    NIP04("nip04");

    private final String wire;

    NwcEncryption(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<NwcEncryption> fromWire(String name) {
        for (NwcEncryption e : values()) {
            if (e.wire.equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
