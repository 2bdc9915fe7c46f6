package org.fedai.nostr;

import java.util.Arrays;
import java.util.List;

/**
 * NIP-01's id serialization {@code [0,pubkey,created_at,kind,tags,content]} as UTF-8 bytes.
 *
 * <p>Strings are escaped exactly as ECMAScript's JSON.stringify does, because that is what
 * nostr-tools and most clients hash: {@code \" \\ \b \f \n \r \t} short forms, other C0 controls
 * as lower-case {@code \\u00xx}, lone surrogates as {@code \\udxxx}, everything else verbatim
 * (U+2028, emoji and all non-ASCII included). Hand-written because no JSON library promises
 * this byte-exact output, and it sits on the hot path of every verification.
 */
public final class CanonicalJson {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private CanonicalJson() {
    }

    public static byte[] serialize(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        Buffer out = new Buffer(128 + pubkey.length() + content.length() * 2);
        out.ascii("[0,");
        string(out, pubkey);
        out.put((byte) ',');
        out.ascii(Long.toString(createdAt));
        out.put((byte) ',');
        out.ascii(Integer.toString(kind));
        out.ascii(",[");
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                out.put((byte) ',');
            }
            out.put((byte) '[');
            List<String> tag = tags.get(i);
            for (int j = 0; j < tag.size(); j++) {
                if (j > 0) {
                    out.put((byte) ',');
                }
                string(out, tag.get(j));
            }
            out.put((byte) ']');
        }
        out.ascii("],");
        string(out, content);
        out.put((byte) ']');
        return out.toArray();
    }

    /** One JSON string, quoted and escaped as JSON.stringify would. */
    public static String quote(String s) {
        Buffer out = new Buffer(s.length() + 16);
        string(out, s);
        return new String(out.toArray(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void string(Buffer out, String s) {
        out.put((byte) '"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    out.put((byte) '\\');
                }
                out.put((byte) c);
            } else if (c < 0x20) {
                switch (c) {
                    case '\b' -> out.ascii("\\b");
                    case '\f' -> out.ascii("\\f");
                    case '\n' -> out.ascii("\\n");
                    case '\r' -> out.ascii("\\r");
                    case '\t' -> out.ascii("\\t");
                    default -> unicodeEscape(out, c);
                }
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xF0 | (cp >> 18)));
                out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.put((byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(out, c);
            } else {
                out.put((byte) (0xE0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.put((byte) (0x80 | (c & 0x3F)));
            }
        }
        out.put((byte) '"');
    }

    private static void unicodeEscape(Buffer out, char c) {
        out.ascii("\\u");
        out.put(HEX[(c >> 12) & 0xF]);
        out.put(HEX[(c >> 8) & 0xF]);
        out.put(HEX[(c >> 4) & 0xF]);
        out.put(HEX[c & 0xF]);
    }

    private static final class Buffer {
        private byte[] bytes;
        private int size;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        void put(byte b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = b;
        }

        void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                put((byte) s.charAt(i));
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
