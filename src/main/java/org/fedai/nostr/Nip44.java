package org.fedai.nostr;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NIP-44 v2 encrypted payloads (https://github.com/nostr-protocol/nips/blob/master/44.md).
 *
 * <p>conversation key = HKDF-extract(salt "nip44-v2", ECDH x); per message, HKDF-expand(conversation
 * key, info = 32-byte nonce, 76 bytes) gives the ChaCha20 key, ChaCha20 nonce and HMAC key; the
 * payload is base64(0x02 || nonce || ChaCha20(padded plaintext) || HMAC-SHA256(nonce || ciphertext)).
 * Primitives are Bouncy Castle's and the JDK's; this class owns only the framing and the checks,
 * in the order the spec gives them so that each refusal names the first thing that was wrong.
 */
public final class Nip44 {

    public static final int VERSION = 2;
    public static final int MIN_PLAINTEXT_SIZE = 1;
    public static final int MAX_PLAINTEXT_SIZE = 65535;

    private static final byte[] SALT = "nip44-v2".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_SIZE = 32;
    private static final int MAC_SIZE = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The three per-message keys HKDF-expand derives from the conversation key and nonce. */
    public record MessageKeys(byte[] chachaKey, byte[] chachaNonce, byte[] hmacKey) {
    }

    private Nip44() {
    }

    /** The symmetric key both parties derive: identical for (a, B) and (b, A). */
    public static byte[] conversationKey(byte[] secret, String peerPubkeyHex) {
        if (!Secp256k1Keys.isValidSecretKey(secret)) {
            throw new Nip44Exception(Nip44Exception.Reason.INVALID_SECRET_KEY);
        }
        if (!Hex.isLowerHex(peerPubkeyHex, 32)) {
            throw new Nip44Exception(Nip44Exception.Reason.INVALID_PUBLIC_KEY);
        }
        byte[] sharedX;
        try {
            sharedX = Secp256k1Keys.sharedX(secret, Hex.decode(peerPubkeyHex));
        } catch (IllegalArgumentException notOnCurve) {
            throw new Nip44Exception(Nip44Exception.Reason.INVALID_PUBLIC_KEY,
                    Nip44Exception.Reason.INVALID_PUBLIC_KEY.description(), notOnCurve);
        }
        try {
            return hmac(SALT, sharedX);
        } finally {
            Arrays.fill(sharedX, (byte) 0);
        }
    }

    public static MessageKeys messageKeys(byte[] conversationKey, byte[] nonce) {
        requireKey(conversationKey);
        if (nonce == null || nonce.length != NONCE_SIZE) {
            throw new Nip44Exception(Nip44Exception.Reason.INVALID_NONCE);
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(HKDFParameters.skipExtractParameters(conversationKey, nonce));
        byte[] okm = new byte[76];
        hkdf.generateBytes(okm, 0, okm.length);
        return new MessageKeys(Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 44),
                Arrays.copyOfRange(okm, 44, 76));
    }

    /** Padded length for a plaintext of {@code unpaddedLength} bytes: 32 minimum, then power-of-two chunks. */
    public static int calcPaddedLength(int unpaddedLength) {
        if (unpaddedLength <= 0) {
            throw new IllegalArgumentException("length must be positive, got " + unpaddedLength);
        }
        if (unpaddedLength <= 32) {
            return 32;
        }
        int nextPower = Integer.highestOneBit(unpaddedLength - 1) << 1;
        int chunk = nextPower <= 256 ? 32 : nextPower / 8;
        return chunk * ((unpaddedLength - 1) / chunk + 1);
    }

    /** Encrypts with a fresh random nonce. */
    public static String encrypt(String plaintext, byte[] conversationKey) {
        byte[] nonce = new byte[NONCE_SIZE];
        RANDOM.nextBytes(nonce);
        return encrypt(plaintext, conversationKey, nonce);
    }

    /** Encrypts with a caller-chosen nonce: only for test vectors, never reuse a nonce. */
    public static String encrypt(String plaintext, byte[] conversationKey, byte[] nonce) {
        MessageKeys keys = messageKeys(conversationKey, nonce);
        byte[] padded = pad(plaintext);
        byte[] ciphertext = chacha20(keys, padded);
        byte[] mac = hmacAad(keys.hmacKey(), nonce, ciphertext);
        ByteBuffer out = ByteBuffer.allocate(1 + NONCE_SIZE + ciphertext.length + MAC_SIZE);
        out.put((byte) VERSION).put(nonce).put(ciphertext).put(mac);
        return Base64.getEncoder().encodeToString(out.array());
    }

    public static String decrypt(String payload, byte[] conversationKey) {
        requireKey(conversationKey);
        if (payload == null || payload.isEmpty() || payload.charAt(0) == '#') {
            throw new Nip44Exception(Nip44Exception.Reason.UNKNOWN_VERSION,
                    payload == null || payload.isEmpty() ? "empty payload" : "unknown encryption version '#'");
        }
        if (payload.length() < 132 || payload.length() > 87472) {
            throw new Nip44Exception(Nip44Exception.Reason.INVALID_PAYLOAD_SIZE,
                    "payload length " + payload.length() + " is outside 132..87472");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw new Nip44Exception(Nip44Exception.Reason.INVALID_BASE64, "invalid base64: " + e.getMessage(), e);
        }
        if (data.length < 99 || data.length > 65603) {
            throw new Nip44Exception(Nip44Exception.Reason.INVALID_DATA_SIZE,
                    "decoded length " + data.length + " is outside 99..65603");
        }
        if (data[0] != VERSION) {
            throw new Nip44Exception(Nip44Exception.Reason.UNKNOWN_VERSION,
                    "unknown encryption version " + (data[0] & 0xFF));
        }
        byte[] nonce = Arrays.copyOfRange(data, 1, 1 + NONCE_SIZE);
        byte[] ciphertext = Arrays.copyOfRange(data, 1 + NONCE_SIZE, data.length - MAC_SIZE);
        byte[] mac = Arrays.copyOfRange(data, data.length - MAC_SIZE, data.length);
        MessageKeys keys = messageKeys(conversationKey, nonce);
        if (!MessageDigest.isEqual(hmacAad(keys.hmacKey(), nonce, ciphertext), mac)) {
            throw new Nip44Exception(Nip44Exception.Reason.INVALID_MAC);
        }
        return unpad(chacha20(keys, ciphertext));
    }

    private static byte[] pad(String plaintext) {
        byte[] unpadded = plaintext.getBytes(StandardCharsets.UTF_8);
        if (unpadded.length < MIN_PLAINTEXT_SIZE) {
            throw new Nip44Exception(Nip44Exception.Reason.MESSAGE_EMPTY);
        }
        if (unpadded.length > MAX_PLAINTEXT_SIZE) {
            throw new Nip44Exception(Nip44Exception.Reason.MESSAGE_TOO_LONG,
                    "plaintext is " + unpadded.length + " bytes, more than 65535");
        }
        byte[] padded = new byte[2 + calcPaddedLength(unpadded.length)];
        padded[0] = (byte) (unpadded.length >>> 8);
        padded[1] = (byte) unpadded.length;
        System.arraycopy(unpadded, 0, padded, 2, unpadded.length);
        return padded;
    }

    private static String unpad(byte[] padded) {
        int length = ((padded[0] & 0xFF) << 8) | (padded[1] & 0xFF);
        if (length < MIN_PLAINTEXT_SIZE || 2 + length > padded.length
                || padded.length != 2 + calcPaddedLength(length)) {
            throw new Nip44Exception(Nip44Exception.Reason.INVALID_PADDING,
                    "length prefix " + length + " does not fit a padded block of " + (padded.length - 2));
        }
        try {
            // strict: a payload that decrypts to invalid UTF-8 is refused, not patched with U+FFFD
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(padded, 2, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Nip44Exception(Nip44Exception.Reason.INVALID_UTF8, "plaintext is not valid UTF-8", e);
        }
    }

    private static byte[] chacha20(MessageKeys keys, byte[] input) {
        ChaCha7539Engine engine = new ChaCha7539Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(keys.chachaKey()), keys.chachaNonce()));
        byte[] output = new byte[input.length];
        engine.processBytes(input, 0, input.length, output, 0);
        return output;
    }

    private static byte[] hmacAad(byte[] key, byte[] aad, byte[] message) {
        Mac mac = newMac(key);
        mac.update(aad);
        return mac.doFinal(message);
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        return newMac(key).doFinal(message);
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK ships HmacSHA256", e);
        }
    }

    private static void requireKey(byte[] conversationKey) {
        if (conversationKey == null || conversationKey.length != 32) {
            throw new Nip44Exception(Nip44Exception.Reason.INVALID_CONVERSATION_KEY);
        }
    }
}
