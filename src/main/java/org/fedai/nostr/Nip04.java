package org.fedai.nostr;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * NIP-04 encrypted direct message payloads (https://github.com/nostr-protocol/nips/blob/master/04.md),
 * deprecated in favour of NIP-44. fedai keeps it only to READ legacy wallets' NIP-47 messages: key =
 * the unhashed ECDH x coordinate, AES-256-CBC with PKCS#7 padding, payload {@code base64(ct)?iv=base64(iv)}.
 * It has no MAC, so a wrong key usually (not always) shows up as bad padding; callers must rely on the
 * event signature for authenticity, never on a successful decryption.
 */
public final class Nip04 {

    private static final String IV_SEPARATOR = "?iv=";
    private static final int IV_SIZE = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why a NIP-04 payload or key was refused. */
    public enum Error {
        INVALID_SECRET_KEY("secret key must be 32 bytes and in range 1..n-1"),
        INVALID_PUBLIC_KEY("peer public key is not 64 hex characters of a valid x-only curve point"),
        MISSING_IV("payload has no '?iv=' part"),
        INVALID_BASE64("ciphertext or iv is not valid base64"),
        INVALID_IV("iv must be 16 bytes"),
        INVALID_CIPHERTEXT_LENGTH("ciphertext must be a non-empty multiple of 16 bytes"),
        BAD_PADDING("padding is invalid: wrong key or tampered payload"),
        INVALID_UTF8("plaintext is not valid UTF-8");

        private final String reason;

        Error(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** A refused NIP-04 payload or key, with its {@link Error}. */
    public static final class Nip04Exception extends IllegalArgumentException {
        private final Error error;

        Nip04Exception(Error error) {
            super("nip04: " + error.reason());
            this.error = error;
        }

        public Error error() {
            return error;
        }
    }

    private Nip04() {
    }

    /** Looks like a NIP-04 payload rather than a NIP-44 one (NIP-44 base64 never contains '?'). */
    public static boolean looksLikeNip04(String payload) {
        return payload != null && payload.contains(IV_SEPARATOR);
    }

    /** The shared AES key: the x coordinate of secret * peer, unhashed (this is what NIP-04 implementations use). */
    public static byte[] sharedKey(byte[] secret, String peerPubkeyHex) {
        if (!Secp256k1Keys.isValidSecretKey(secret)) {
            throw new Nip04Exception(Error.INVALID_SECRET_KEY);
        }
        if (!Hex.isLowerHex(peerPubkeyHex, 32)) {
            throw new Nip04Exception(Error.INVALID_PUBLIC_KEY);
        }
        try {
            return Secp256k1Keys.sharedX(secret, Hex.decode(peerPubkeyHex));
        } catch (IllegalArgumentException notOnCurve) {
            throw new Nip04Exception(Error.INVALID_PUBLIC_KEY);
        }
    }

    /** Encrypts with a fresh random IV. fedai never sends NIP-04; this exists for tests and interop checks. */
    public static String encrypt(String plaintext, byte[] sharedKey) {
        byte[] iv = new byte[IV_SIZE];
        RANDOM.nextBytes(iv);
        return encrypt(plaintext, sharedKey, iv);
    }

    public static String encrypt(String plaintext, byte[] sharedKey, byte[] iv) {
        if (iv == null || iv.length != IV_SIZE) {
            throw new Nip04Exception(Error.INVALID_IV);
        }
        byte[] ct = cipher(Cipher.ENCRYPT_MODE, sharedKey, iv, plaintext.getBytes(StandardCharsets.UTF_8));
        Base64.Encoder b64 = Base64.getEncoder();
        return b64.encodeToString(ct) + IV_SEPARATOR + b64.encodeToString(iv);
    }

    public static String decrypt(String payload, byte[] sharedKey) {
        int at = payload == null ? -1 : payload.indexOf(IV_SEPARATOR);
        if (at < 0) {
            throw new Nip04Exception(Error.MISSING_IV);
        }
        byte[] ct;
        byte[] iv;
        try {
            ct = Base64.getDecoder().decode(payload.substring(0, at));
            iv = Base64.getDecoder().decode(payload.substring(at + IV_SEPARATOR.length()));
        } catch (IllegalArgumentException e) {
            throw new Nip04Exception(Error.INVALID_BASE64);
        }
        if (iv.length != IV_SIZE) {
            throw new Nip04Exception(Error.INVALID_IV);
        }
        if (ct.length == 0 || ct.length % 16 != 0) {
            throw new Nip04Exception(Error.INVALID_CIPHERTEXT_LENGTH);
        }
        byte[] plain = cipher(Cipher.DECRYPT_MODE, sharedKey, iv, ct);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plain))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Nip04Exception(Error.INVALID_UTF8);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static byte[] cipher(int mode, byte[] key, byte[] iv, byte[] input) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("NIP-04 key must be 32 bytes");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(input);
        } catch (BadPaddingException e) {
            throw new Nip04Exception(Error.BAD_PADDING);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK ships AES/CBC/PKCS5Padding", e);
        }
    }
}
