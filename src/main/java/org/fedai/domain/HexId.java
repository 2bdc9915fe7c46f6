package org.fedai.domain;

/**
 * The one check behind the typed ids and keys: 32 bytes as 64 lowercase hex digits, as NIP-01 writes them. The same
 * test as {@code nostr.Hex.isLowerHex}, written again because domain sits below nostr and imports nothing of fedai.
 */
final class HexId {

    private HexId() {
    }

    static String check(String hex, String what) {
        if (hex == null || hex.length() != 64) {
            throw new IllegalArgumentException(what + " must be 64 hex digits: " + hex);
        }
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException(what + " must be lowercase hex: " + hex);
            }
        }
        return hex;
    }
}
