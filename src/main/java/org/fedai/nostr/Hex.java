package org.fedai.nostr;

import java.util.HexFormat;

/** Lower-case hex as Nostr writes it, with strict decoding for fixed-size fields. */
public final class Hex {

    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {
    }

    public static String encode(byte[] bytes) {
        return LOWER.formatHex(bytes);
    }

    /** Decodes hex of any even length; throws IllegalArgumentException on anything else. */
    public static byte[] decode(String hex) {
        return LOWER.parseHex(hex);
    }

    /** Decodes exactly {@code length} bytes of lower-case hex, as NIP-01 requires for ids, keys and signatures. */
    public static byte[] decodeFixed(String hex, int length) {
        if (!isLowerHex(hex, length)) {
            throw new IllegalArgumentException("expected " + (length * 2) + " lower-case hex characters");
        }
        return LOWER.parseHex(hex);
    }

    public static boolean isLowerHex(String s, int byteLength) {
        if (s == null || s.length() != byteLength * 2) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
