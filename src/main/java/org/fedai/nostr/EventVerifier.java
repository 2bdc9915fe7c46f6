package org.fedai.nostr;

import java.security.MessageDigest;

/** Checks that an event's id is the hash of its contents and its signature is its author's. */
public final class EventVerifier {

    private EventVerifier() {
    }

    public static EventCheck check(Event event) {
        if (!Hex.isLowerHex(event.id(), 32)) {
            return EventCheck.MALFORMED_ID;
        }
        if (!Hex.isLowerHex(event.pubkey(), 32)) {
            return EventCheck.MALFORMED_PUBKEY;
        }
        if (!Hex.isLowerHex(event.sig(), 64)) {
            return EventCheck.MALFORMED_SIG;
        }
        byte[] computed = EventSigner.idBytes(event.pubkey(), event.createdAt(), event.kind(), event.tags(),
                event.content());
        byte[] claimed = Hex.decode(event.id());
        if (!MessageDigest.isEqual(computed, claimed)) {
            return EventCheck.ID_MISMATCH;
        }
        boolean ok = Secp256k1Keys.verifySchnorr(Hex.decode(event.sig()), computed, Hex.decode(event.pubkey()));
        return ok ? EventCheck.VALID : EventCheck.BAD_SIGNATURE;
    }

    public static boolean isValid(Event event) {
        return check(event).valid();
    }
}
