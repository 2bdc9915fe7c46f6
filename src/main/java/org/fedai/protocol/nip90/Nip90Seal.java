package org.fedai.protocol.nip90;

import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip04;
import org.fedai.nostr.Nip44;

/** NIP-90's encryption of private tags and answers: NIP-04 as most DVM clients send it, or NIP-44 v2. */
final class Nip90Seal {

    private Nip90Seal() {
    }

    /** Which scheme sealed {@code payload}: NIP-04's {@code ?iv=} never occurs in NIP-44's base64. */
    static Nip90Encryption schemeOf(String payload) {
        return Nip04.looksLikeNip04(payload) ? Nip90Encryption.NIP04 : Nip90Encryption.NIP44;
    }

    static String seal(Nip90Encryption scheme, String plaintext, KeyPair from, String to) {
        return switch (scheme) {
            case NIP04 -> Nip04.encrypt(plaintext, Nip04.sharedKey(from.secretKey(), to));
            case NIP44 -> Nip44.encrypt(plaintext, Nip44.conversationKey(from.secretKey(), to));
            case NONE -> plaintext;
        };
    }

    /** Throws IllegalArgumentException (the NIP's own exceptions) when it does not open. */
    static String open(Nip90Encryption scheme, String payload, KeyPair to, String from) {
        return switch (scheme) {
            case NIP04 -> Nip04.decrypt(payload, Nip04.sharedKey(to.secretKey(), from));
            case NIP44 -> Nip44.decrypt(payload, Nip44.conversationKey(to.secretKey(), from));
            case NONE -> payload;
        };
    }
}
