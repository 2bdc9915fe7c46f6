package org.fedai.fl.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Expands a 32-byte seed into a mask vector over Z_{2^32}: HKDF-SHA256 (salt = round context, info =
 * purpose) yields a full 256-bit AES key, and the AES-256-CTR keystream (the JDK's AES-NI-backed
 * cipher) is read as little-endian 32-bit words. Keys are fresh per round, so the zero IV never
 * repeats. CTR lets any slice of the mask be computed alone (word i sits in block i/4), which is how
 * the aggregator unmasks on all cores.
 */
public final class MaskStream {

    public static final byte[] PAIRWISE = "fedai/secagg/v1/pairwise-mask".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] SELF = "fedai/secagg/v1/self-mask".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 1 << 16;
    /** Per-thread scratch: zeros to encrypt, the keystream, and the keystream as words. */
    private record Scratch(byte[] zeros, byte[] stream, IntBuffer streamWords, int[] words) {
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(() -> {
        byte[] stream = new byte[CHUNK];
        return new Scratch(new byte[CHUNK], stream, ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer(),
                new int[CHUNK / 4]);
    });

    private MaskStream() {
    }

    public static byte[] hkdf(byte[] inputKey, byte[] salt, byte[] info) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(inputKey, salt, info));
        byte[] out = new byte[32];
        g.generateBytes(out, 0, 32);
        return out;
    }

    /** target[i] += sign * mask[i] (mod 2^32, by int overflow), for the mask the seed expands to. */
    public static void addMask(int[] target, byte[] seed, byte[] salt, byte[] info, int sign) {
        addKeystream(target, 0, target.length, hkdf(seed, salt, info), sign);
    }

    /** The same for words [from, to) only; from must be a multiple of 4 (one AES block holds 4 words). */
    public static void addKeystream(int[] target, int from, int to, byte[] aesKey, int sign) {
        if (from % 4 != 0) {
            throw new IllegalArgumentException("slices start on a block boundary");
        }
        byte[] iv = new byte[16];
        long block = from / 4;
        for (int b = 0; b < 8; b++) {
            iv[15 - b] = (byte) (block >>> (8 * b));
        }
        Scratch sc = SCRATCH.get();
        int[] w = sc.words();
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
            int i = from;
            while (i < to) {
                int words = Math.min(CHUNK / 4, to - i);
                aes.update(sc.zeros(), 0, words * 4, sc.stream(), 0);
                sc.streamWords().get(0, w, 0, words); // bulk little-endian decode, then a loop the JIT vectorizes
                if (sign >= 0) {
                    for (int k = 0; k < words; k++) {
                        target[i + k] += w[k];
                    }
                } else {
                    for (int k = 0; k < words; k++) {
                        target[i + k] -= w[k];
                    }
                }
                i += words;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CTR is mandatory in every JDK", e);
        }
    }
}
