package org.fedai.fl.he;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/** A full node's side: quantize, pack, encrypt under the key holder's public key. Holds no secret. */
public final class PaillierClient {

    private PaillierClient() {
    }

    /** Clamps to the declared range, quantizes to k bits, packs and encrypts with fresh randomness per block. */
    public static PackedCiphertext encrypt(HeConfig cfg, double[] update, SecureRandom random) {
        if (update.length != cfg.vectorLength()) {
            throw new IllegalArgumentException("update of " + update.length + " values, the task declares " + cfg.vectorLength());
        }
        long[] levels = Arrays.stream(cfg.quantizer().encode(update)).mapToLong(Integer::toUnsignedLong).toArray();
        return encryptLevels(cfg, levels, random);
    }

    /** As above from already quantized levels (each in 0..2^k - 1). */
    public static PackedCiphertext encryptLevels(HeConfig cfg, long[] levels, SecureRandom random) {
        BigInteger[] plain = cfg.packing().pack(levels);
        BigInteger[] blocks = new BigInteger[plain.length];
        for (int b = 0; b < plain.length; b++) {
            blocks[b] = cfg.key().encrypt(plain[b], random);
        }
        return new PackedCiphertext(cfg.round(), Arrays.asList(blocks));
    }
}
