package org.fedai.payment;

import java.util.Arrays;

/** BOLT #11's 5-bit words: packing to and from bytes, big-endian integers, a growable buffer. */
final class FiveBitWords {

    private FiveBitWords() {
    }

    /** The fewest words that hold {@code value} (0 for 0). */
    static int minimalWords(long value) {
        return (64 - Long.numberOfLeadingZeros(value) + 4) / 5;
    }

    /**
     * True when the bits past the last whole byte are fewer than a word and all zero: BOLT #11
     * writers MUST pad bytes to a multiple of 5 bits with 0s. Anything else would not survive
     * re-encoding, which must reproduce what was signed.
     */
    static boolean hasCanonicalPadding(byte[] words, int from, int to) {
        int remaining = ((to - from) * 5) % 8;
        if (remaining >= 5) {
            return false;
        }
        for (int i = to - 1; remaining > 0 && i >= from; i--) {
            int take = Math.min(5, remaining);
            if ((words[i] & ((1 << take) - 1)) != 0) {
                return false;
            }
            remaining -= take;
        }
        return true;
    }

    /** Whole bytes of the words; trailing bits that do not make a byte (the padding) are dropped. */
    static byte[] toBytes(byte[] words, int from, int to) {
        byte[] out = new byte[(to - from) * 5 / 8];
        packWords(words, from, to, out, 0);
        return out;
    }

    static void packWords(byte[] words, int from, int to, byte[] out, int offset) {
        int acc = 0;
        int bits = 0;
        int o = offset;
        for (int i = from; i < to; i++) {
            acc = (acc << 5) | words[i];
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                if (o < out.length) {
                    out[o++] = (byte) (acc >>> bits);
                }
                acc &= (1 << bits) - 1;
            }
        }
        if (bits > 0 && o < out.length) {
            out[o] = (byte) (acc << (8 - bits));
        }
    }

    static long readInt(byte[] words, int from, int count) {
        long value = 0;
        for (int i = from; i < from + count; i++) {
            value = (value << 5) | words[i];
        }
        return value;
    }

    /** A growable array of 5-bit words. */
    static final class Buffer {
        private byte[] words = new byte[128];
        private int size;

        void word(int w) {
            if (size == words.length) {
                words = Arrays.copyOf(words, size * 2);
            }
            words[size++] = (byte) w;
        }

        void integer(long value, int count) {
            for (int i = count - 1; i >= 0; i--) {
                word((int) ((value >>> (i * 5)) & 31));
            }
        }

        /** Bytes as words, the last one zero-padded. */
        void bytes(byte[] data) {
            int acc = 0;
            int bits = 0;
            for (byte b : data) {
                acc = (acc << 8) | (b & 0xFF);
                bits += 8;
                while (bits >= 5) {
                    bits -= 5;
                    word((acc >>> bits) & 31);
                }
                acc &= (1 << bits) - 1;
            }
            if (bits > 0) {
                word((acc << (5 - bits)) & 31);
            }
        }

        void append(Buffer other) {
            for (int i = 0; i < other.size; i++) {
                word(other.words[i]);
            }
        }

        int size() {
            return size;
        }

        byte[] toArray() {
            return Arrays.copyOf(words, size);
        }
    }
}
