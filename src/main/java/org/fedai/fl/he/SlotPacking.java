package org.fedai.fl.he;

import java.math.BigInteger;

/**
 * Packs many small unsigned values into one Paillier plaintext, so one ciphertext (and one modPow)
 * carries a whole run of parameters instead of one.
 *
 * <p>Each value takes valueBits; each slot adds ceil(log2(N + 1)) headroom bits, so the sum of up to N
 * values, each at most 2^valueBits - 1, stays below 2^slotBits and never carries into the next slot.
 * Slots fill plaintextBits (n's length minus one), so a packed plaintext and any sum of N of them stay
 * below n and the addition mod n is the plain integer addition, slot by slot.
 *
 * @param maxParticipants the declared N: the most contributions one sum may hold
 */
public record SlotPacking(int valueBits, int maxParticipants, int plaintextBits) {

    public SlotPacking {
        if (valueBits < 2 || valueBits > 31 || maxParticipants < 1) {
            throw new IllegalArgumentException("need 2 <= valueBits <= 31 and a declared N >= 1");
        }
        if (valueBits + headroomBits(maxParticipants) > plaintextBits) {
            throw new IllegalArgumentException("a " + (valueBits + headroomBits(maxParticipants))
                    + "-bit slot does not fit a " + plaintextBits + "-bit plaintext");
        }
    }

    /** ceil(log2(N + 1)), which is N's bit length. */
    static int headroomBits(int n) {
        return 32 - Integer.numberOfLeadingZeros(n);
    }

    public int slotBits() {
        return valueBits + headroomBits(maxParticipants);
    }

    public int slotsPerBlock() {
        return plaintextBits / slotBits();
    }

    public int blocks(int length) {
        return (length + slotsPerBlock() - 1) / slotsPerBlock();
    }

    /** Largest value one input slot may hold. */
    public long maxValue() {
        return (1L << valueBits) - 1;
    }

    /** Block b holds values b*s .. b*s + s - 1, value i of the block at bits [i*slotBits, (i+1)*slotBits). */
    public BigInteger[] pack(long[] values) {
        int s = slotsPerBlock();
        BigInteger[] out = new BigInteger[blocks(values.length)];
        for (int b = 0; b < out.length; b++) {
            BigInteger m = BigInteger.ZERO;
            for (int i = Math.min(values.length, (b + 1) * s) - 1; i >= b * s; i--) {
                if (values[i] < 0 || values[i] > maxValue()) {
                    throw new IllegalArgumentException("value " + values[i] + " at " + i + " outside 0.." + maxValue());
                }
                m = m.shiftLeft(slotBits()).or(BigInteger.valueOf(values[i]));
            }
            out[b] = m;
        }
        return out;
    }

    /**
     * The slot contents of decrypted blocks: the per-coordinate sums. Throws when a block has bits above
     * its last slot, which no honest sum of at most N packed inputs can produce.
     */
    public long[] unpack(BigInteger[] blocks, int length) {
        if (blocks.length != blocks(length)) {
            throw new IllegalArgumentException(blocks.length + " blocks for " + length + " values, expected " + blocks(length));
        }
        int s = slotsPerBlock();
        int w = slotBits();
        long mask = (1L << w) - 1;
        long[] out = new long[length];
        for (int b = 0; b < blocks.length; b++) {
            int used = Math.min(s, length - b * s);
            if (blocks[b].signum() < 0 || blocks[b].bitLength() > used * w) {
                throw new IllegalArgumentException("block " + b + " overflows its " + used + " slots");
            }
            long[] words = littleEndianWords(blocks[b], (used * w + 63) / 64 + 1);
            for (int i = 0; i < used; i++) {
                int bit = i * w;
                int word = bit >>> 6;
                int shift = bit & 63;
                long v = words[word] >>> shift;
                if (shift + w > 64) {
                    v |= words[word + 1] << (64 - shift);
                }
                out[b * s + i] = v & mask;
            }
        }
        return out;
    }

    private static long[] littleEndianWords(BigInteger m, int count) {
        byte[] be = m.toByteArray();
        long[] words = new long[count];
        for (int i = 0; i < be.length; i++) {
            int bytePos = be.length - 1 - i; // i-th least significant byte
            if (i / 8 < count) {
                words[i / 8] |= (be[bytePos] & 0xffL) << (8 * (i % 8));
            }
        }
        return words;
    }
}
