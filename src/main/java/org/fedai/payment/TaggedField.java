package org.fedai.payment;

import java.util.BitSet;
import java.util.List;

/**
 * The tagged fields of a BOLT #11 data part. A field of a known type but of a length the spec says
 * to skip (a 51-word {@code p}, an {@code f} of version 19..31, ...) decodes to {@link Unknown}, so
 * that the invoice re-encodes to the very same string.
 */
public sealed interface TaggedField {

    int P = 1;
    int R = 3;
    int NINE = 5;
    int X = 6;
    int F = 9;
    int D = 13;
    int S = 16;
    int N = 19;
    int H = 23;
    int C = 24;
    int M = 27;

    /** The 5-bit type as it appears on the wire. */
    int type();

    /** {@code p}: the SHA-256 of the preimage that proves payment. */
    record PaymentHash(byte[] hash) implements TaggedField {
        public PaymentHash {
            hash = exactly(hash, 32, "payment hash");
        }

        @Override
        public byte[] hash() {
            return hash.clone();
        }

        @Override
        public int type() {
            return P;
        }
    }

    /** {@code s}: the payment secret that stops intermediate nodes probing the payee. */
    record PaymentSecret(byte[] secret) implements TaggedField {
        public PaymentSecret {
            secret = exactly(secret, 32, "payment secret");
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        @Override
        public int type() {
            return S;
        }
    }

    /** {@code d}: a short UTF-8 description. */
    record Description(String text) implements TaggedField {
        public Description {
            if (text == null) {
                throw new IllegalArgumentException("description must not be null");
            }
        }

        @Override
        public int type() {
            return D;
        }
    }

    /** {@code h}: SHA-256 of a description carried elsewhere (fedai: the job binding). */
    record DescriptionHash(byte[] hash) implements TaggedField {
        public DescriptionHash {
            hash = exactly(hash, 32, "description hash");
        }

        @Override
        public byte[] hash() {
            return hash.clone();
        }

        @Override
        public int type() {
            return H;
        }
    }

    /**
     * {@code x}: seconds after the timestamp the invoice stays payable.
     *
     * @param words the length on the wire: minimal when written by us, as read otherwise (a
     *              writer only SHOULD be minimal, and re-encoding must reproduce what was signed)
     */
    record Expiry(long seconds, int words) implements TaggedField {
        public Expiry {
            nonNegative(seconds, "expiry");
            integerWords(seconds, words);
        }

        public Expiry(long seconds) {
            this(seconds, FiveBitWords.minimalWords(seconds));
        }

        @Override
        public int type() {
            return X;
        }
    }

    /** {@code c}: min_final_cltv_expiry_delta for the last HTLC; {@code words} as for {@link Expiry}. */
    record MinFinalCltvExpiry(long blocks, int words) implements TaggedField {
        public MinFinalCltvExpiry {
            nonNegative(blocks, "min_final_cltv_expiry_delta");
            integerWords(blocks, words);
        }

        public MinFinalCltvExpiry(long blocks) {
            this(blocks, FiveBitWords.minimalWords(blocks));
        }

        @Override
        public int type() {
            return C;
        }
    }

    /** {@code n}: the payee's 33-byte compressed node id. */
    record PayeeNodeId(byte[] nodeId) implements TaggedField {
        public PayeeNodeId {
            nodeId = exactly(nodeId, 33, "payee node id");
        }

        @Override
        public byte[] nodeId() {
            return nodeId.clone();
        }

        @Override
        public int type() {
            return N;
        }
    }

    /** {@code f}: an on-chain fallback: witness version 0..16 and program, 17 P2PKH or 18 P2SH hash. */
    record Fallback(int version, byte[] program) implements TaggedField {
        public Fallback {
            if (version < 0 || version > 18) {
                throw new IllegalArgumentException("fallback version must be 0..18, got " + version);
            }
            program = program.clone();
        }

        @Override
        public byte[] program() {
            return program.clone();
        }

        @Override
        public int type() {
            return F;
        }
    }

    /** {@code r}: one private route, hops in forward order. */
    record RoutingInfo(List<RouteHop> hops) implements TaggedField {
        public RoutingInfo {
            hops = List.copyOf(hops);
            if (hops.isEmpty()) {
                throw new IllegalArgumentException("a routing field holds at least one hop");
            }
        }

        @Override
        public int type() {
            return R;
        }
    }

    /** {@code 9}: feature bits, bit 0 the least significant (BOLT #9); {@code words} as for {@link Expiry}. */
    record Features(BitSet bits, int words) implements TaggedField {
        public Features {
            bits = (BitSet) bits.clone();
            if (words < (bits.length() + 4) / 5 || words > Bolt11Codec.MAX_FIELD_WORDS) {
                throw new IllegalArgumentException(words + " words cannot hold feature bit " + (bits.length() - 1));
            }
        }

        public Features(BitSet bits) {
            this(bits, (bits.length() + 4) / 5);
        }

        public static Features of(int... bitIndexes) {
            BitSet set = new BitSet();
            for (int bit : bitIndexes) {
                set.set(bit);
            }
            return new Features(set);
        }

        @Override
        public BitSet bits() {
            return (BitSet) bits.clone();
        }

        public boolean has(int bit) {
            return bits.get(bit);
        }

        @Override
        public int type() {
            return NINE;
        }
    }

    /** {@code m}: payment metadata the payer must hand back in the onion. */
    record Metadata(byte[] data) implements TaggedField {
        public Metadata {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int type() {
            return M;
        }
    }

    /** A field this reader skips, kept as its raw 5-bit words so re-encoding is exact. */
    record Unknown(int type, byte[] words) implements TaggedField {
        public Unknown {
            if (type < 0 || type > 31) {
                throw new IllegalArgumentException("field type is 5 bits");
            }
            words = words.clone();
            if (words.length > Bolt11Codec.MAX_FIELD_WORDS) {
                throw new IllegalArgumentException("a field holds at most 1023 words");
            }
            for (byte w : words) {
                if (w < 0 || w > 31) {
                    throw new IllegalArgumentException("words are 5-bit values");
                }
            }
        }

        @Override
        public byte[] words() {
            return words.clone();
        }
    }

    private static byte[] exactly(byte[] value, int length, String what) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes");
        }
        return value.clone();
    }

    private static void integerWords(long value, int words) {
        if (words < FiveBitWords.minimalWords(value) || words > 12) {
            throw new IllegalArgumentException(value + " does not fit " + words + " words, or words > 12");
        }
    }

    private static void nonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
    }
}
