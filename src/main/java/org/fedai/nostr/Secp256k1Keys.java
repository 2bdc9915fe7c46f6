package org.fedai.nostr;

import fr.acinq.secp256k1.Secp256k1;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The only door to libsecp256k1 (ACINQ's JNI binding): key generation, BIP-340 Schnorr and the
 * raw ECDH x-coordinate NIP-44 needs. Everything is stateless and thread-safe.
 */
public final class Secp256k1Keys {

    private static final Secp256k1 NATIVE = Secp256k1.Companion.get();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secp256k1Keys() {
    }

    /** A fresh valid secret key from SecureRandom (retries the ~2^-128 chance of an invalid scalar). */
    public static byte[] generateSecretKey() {
        byte[] secret = new byte[32];
        do {
            RANDOM.nextBytes(secret);
        } while (!isValidSecretKey(secret));
        return secret;
    }

    public static boolean isValidSecretKey(byte[] secret) {
        return secret != null && secret.length == 32 && NATIVE.secKeyVerify(secret);
    }

    /** The 32-byte x-only public key of a secret key. */
    public static byte[] xOnlyPublicKey(byte[] secret) {
        requireSecret(secret);
        byte[] uncompressed = NATIVE.pubkeyCreate(secret);
        return Arrays.copyOfRange(uncompressed, 1, 33);
    }

    /** BIP-340 signature of a 32-byte message, with 32 bytes of fresh auxiliary randomness. */
    public static byte[] signSchnorr(byte[] message32, byte[] secret) {
        byte[] aux = new byte[32];
        RANDOM.nextBytes(aux);
        return signSchnorr(message32, secret, aux);
    }

    /** BIP-340 signature with caller-chosen auxiliary randomness (test vectors pin it). */
    public static byte[] signSchnorr(byte[] message32, byte[] secret, byte[] aux32) {
        requireSecret(secret);
        if (message32.length != 32) {
            throw new IllegalArgumentException("message must be 32 bytes, got " + message32.length);
        }
        return NATIVE.signSchnorr(message32, secret, aux32);
    }

    /** BIP-340 verification; false (never an exception) for any malformed input. */
    public static boolean verifySchnorr(byte[] signature64, byte[] message32, byte[] xOnlyPublicKey32) {
        if (signature64 == null || signature64.length != 64 || message32 == null || message32.length != 32
                || xOnlyPublicKey32 == null || xOnlyPublicKey32.length != 32) {
            return false;
        }
        try {
            return NATIVE.verifySchnorr(signature64, message32, xOnlyPublicKey32);
        } catch (RuntimeException invalidKey) {
            // libsecp256k1 reports an x that is not on the curve as an error, not as false
            return false;
        }
    }

    /**
     * The unhashed x coordinate of secret * P, where P is the even-y point with the given x.
     * NIP-44 needs this raw value; libsecp256k1's ecdh() would hash it.
     */
    public static byte[] sharedX(byte[] secret, byte[] peerXOnly) {
        requireSecret(secret);
        if (peerXOnly == null || peerXOnly.length != 32) {
            throw new IllegalArgumentException("peer public key must be 32 bytes");
        }
        byte[] compressed = new byte[33];
        compressed[0] = 0x02;
        System.arraycopy(peerXOnly, 0, compressed, 1, 32);
        byte[] point;
        try {
            point = NATIVE.pubKeyTweakMul(NATIVE.pubkeyParse(compressed), secret);
        } catch (RuntimeException notOnCurve) {
            throw new IllegalArgumentException("peer public key is not a valid curve point", notOnCurve);
        }
        return Arrays.copyOfRange(point, 1, 33);
    }

    private static void requireSecret(byte[] secret) {
        if (!isValidSecretKey(secret)) {
            throw new IllegalArgumentException("secret key must be 32 bytes and in range 1..n-1");
        }
    }
}
