package org.fedai.fl.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * cipher) is read as little-endian 32-bit words. Keys are fresh per round, so the zero IV never repeats.
 */
public final class MaskStream {

    public static final byte[] PAIRWISE = "fedai/secagg/v1/pairwise-mask".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    public static final byte[] SELF = "fedai/secagg/v1/self-mask".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int CHUNK = 1 << 16;

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
        byte[] key = hkdf(seed, salt, info);
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            byte[] zeros = new byte[Math.min(CHUNK, target.length * 4)];
            byte[] stream = new byte[zeros.length];
            int i = 0;
            while (i < target.length) {
                int words = Math.min(zeros.length / 4, target.length - i);
                aes.update(zeros, 0, words * 4, stream, 0);
                ByteBuffer b = ByteBuffer.wrap(stream, 0, words * 4).order(ByteOrder.LITTLE_ENDIAN);
                if (sign >= 0) {
                    for (int k = 0; k < words; k++) {
                        target[i + k] += b.getInt();
                    }
                } else {
                    for (int k = 0; k < words; k++) {
                        target[i + k] -= b.getInt();
                    }
                }
                i += words;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CTR is mandatory in every JDK", e);
        }
    }
}
