package org.fedai.fl.he;

import java.util.List;
import org.fedai.fl.secagg.Quantizer;

/**
 * What every party of one packed-Paillier sum agrees on (it travels in the round roster, like
 * {@link org.fedai.fl.secagg.SecAggConfig}): the key holder's public key, the declared clip range and
 * value width, the declared N and the roster.
 *
 * @param valueBits       k: each coordinate is quantized to a k-bit unsigned level
 * @param maxParticipants the declared N that sizes the slots' headroom; no sum may hold more
 * @param minContributors the key holder decrypts no aggregate of fewer inputs (one input alone is no secret sum)
 */
public record HeConfig(int round, PaillierPublicKey key, List<String> roster, double range, int valueBits,
                       int maxParticipants, int minContributors, int vectorLength) {

    /** 16-bit levels: a step of 2C/65535, finer than SGD noise, and about 90 values per 2048-bit block. */
    public static final int DEFAULT_VALUE_BITS = 16;

    public HeConfig {
        roster = List.copyOf(roster);
        if (roster.stream().distinct().count() != roster.size()) {
            throw new IllegalArgumentException("roster has duplicates");
        }
        if (minContributors < 2 || minContributors > maxParticipants || vectorLength < 1) {
            throw new IllegalArgumentException("need 2 <= minContributors <= maxParticipants and a positive length");
        }
        new SlotPacking(valueBits, maxParticipants, key.plaintextBits()); // fails early if a slot cannot fit
        new Quantizer(range, quantizerSummands(valueBits));
    }

    public SlotPacking packing() {
        return new SlotPacking(valueBits, maxParticipants, key.plaintextBits());
    }

    public int blocks() {
        return packing().blocks(vectorLength);
    }

    /**
     * The existing fixed-point {@link Quantizer} over the same clip range, sized to 2^k - 1 levels: it
     * spreads (2^32 - 1) / maxSummands levels over [-C, C], so maxSummands = floor((2^32 - 1) / (2^k - 1))
     * gives exactly 2^k - 1 levels for every k in 2..31, and the masking and Paillier modes round alike.
     */
    public Quantizer quantizer() {
        return new Quantizer(range, quantizerSummands(valueBits));
    }

    static int quantizerSummands(int valueBits) {
        if (valueBits < 2 || valueBits > 31) {
            throw new IllegalArgumentException("valueBits must be in 2..31");
        }
        long summands = (Quantizer.MODULUS - 1) / ((1L << valueBits) - 1);
        Quantizer q = new Quantizer(1, (int) summands);
        if (q.levels() != (1L << valueBits) - 1) {
            throw new IllegalStateException("quantizer gives " + q.levels() + " levels for k = " + valueBits);
        }
        return (int) summands;
    }
}
