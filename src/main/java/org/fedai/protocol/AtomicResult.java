package org.fedai.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;

/**
 * Atomic pay-for-result (event-kinds/market-flow.md): a result locked under a key only the invoice's preimage
 * gives. key = HKDF-SHA256(ikm = preimage, salt = the 32-byte job id, info = "fedai:result", 32 bytes);
 * ciphertext = ChaCha20-Poly1305(key, 12-byte nonce, plaintext = UTF-8 output, aad = the 32-byte job id).
 * Lightning reveals the preimage to the payer exactly when the node is paid, so paying is what opens it.
 * Pure: no I/O, the nonce source is the caller's.
 */
public final class AtomicResult {

    static final byte[] INFO = "fedai:result".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final String JCA_CIPHER = "ChaCha20-Poly1305";

    /** Base64 ciphertext (with its 16-byte Poly1305 tag) and how to open it. */
    public record Locked(String ciphertext, ResultLock lock) {
    }

    /** Why a locked result did not open; each a counted reason on the client. */
    public enum Failure {
        /** sha256(preimage) is not the lock's payment hash: the wrong invoice was paid. */
        PREIMAGE_MISMATCH,
        /** The AEAD tag does not verify: the node locked it under another key, or it was altered. */
        RESULT_NOT_OPENED,
        /** It opened, but the plaintext does not hash to the committed (signed, metered) output_sha256. */
        RESULT_HASH_MISMATCH,
        UNSUPPORTED_CIPHER;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The plaintext output, or why there is none. */
    public sealed interface Opened {
        record Output(String output) implements Opened { }

        record Refused(Failure failure, String detail) implements Opened { }
    }

    private AtomicResult() {
    }

    /** Locks {@code output} for {@code jobId} under {@code preimage}; the lock names sha256(preimage). */
    public static Locked lock(String output, byte[] preimage, String jobId, SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, key(preimage, jobId), nonce, jobId,
                output.getBytes(StandardCharsets.UTF_8));
        ResultLock lock = new ResultLock(ResultLock.CHACHA20_POLY1305, Hex.encode(Sha256.hash(preimage)),
                Hex.encode(nonce));
        return new Locked(Base64.getEncoder().encodeToString(sealed), lock);
    }

    /** Opens a joined locked output and checks it against the committed plaintext hash. */
    public static Opened open(String ciphertext, ResultLock lock, String jobId, byte[] preimage,
            String outputSha256) {
        if (!ResultLock.CHACHA20_POLY1305.equals(lock.cipher())) {
            return new Opened.Refused(Failure.UNSUPPORTED_CIPHER, lock.cipher());
        }
        if (preimage.length != 32 || !MessageDigest.isEqual(Sha256.hash(preimage), Hex.decode(lock.paymentHash()))) {
            return new Opened.Refused(Failure.PREIMAGE_MISMATCH, "sha256(preimage) is not " + lock.paymentHash());
        }
        byte[] plain;
        try {
            plain = crypt(Cipher.DECRYPT_MODE, key(preimage, jobId), Hex.decode(lock.nonce()), jobId,
                    Base64.getDecoder().decode(ciphertext));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return new Opened.Refused(Failure.RESULT_NOT_OPENED, String.valueOf(e.getMessage()));
        }
        String output = new String(plain, StandardCharsets.UTF_8);
        if (!JobResult.sha256(output).equals(outputSha256)) {
            return new Opened.Refused(Failure.RESULT_HASH_MISMATCH, "plaintext does not hash to " + outputSha256);
        }
        return new Opened.Output(output);
    }

    /** HKDF-SHA256 (RFC 5869) of the preimage, salted with the job id so one key never serves two jobs. */
    static byte[] key(byte[] preimage, String jobId) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(preimage, Hex.decode(jobId), INFO));
        byte[] key = new byte[KEY_BYTES];
        hkdf.generateBytes(key, 0, KEY_BYTES);
        return key;
    }

    private static byte[] crypt(int mode, byte[] key, byte[] nonce, String jobId, byte[] input) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("nonce must be " + NONCE_BYTES + " bytes");
        }
        try {
            Cipher cipher = Cipher.getInstance(JCA_CIPHER);
            cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            // the job id as associated data: a ciphertext moved to another job does not open there
            cipher.updateAAD(Hex.decode(jobId));
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("authentication tag does not verify", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cipher failed: " + e.getMessage(), e);
        }
    }
}
