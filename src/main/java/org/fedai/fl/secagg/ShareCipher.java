package org.fedai.fl.secagg;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.fedai.fl.secagg.Shamir.Share;
import org.fedai.nostr.Secp256k1Keys;

/**
 * Encrypts the pair of shares one participant hands one neighbour: ECDH of their per-round cipher
 * keys, HKDF to an AES-256-GCM key, the round and both names as associated data so a share cannot
 * be replayed into another round or redirected to another recipient by the relaying server.
 */
final class ShareCipher {

    private static final byte[] INFO = "fedai/secagg/v1/share-encryption".getBytes(StandardCharsets.US_ASCII);
    private static final int PLAIN = 4 + 2 * Shamir.SHARE_BYTES;

    /** The two shares of one owner, held by one neighbour. */
    record SharePair(Share selfMask, Share maskKey) {
    }

    private ShareCipher() {
    }

    /** The AES key two participants share this round: HKDF of their cipher keys' ECDH, the same from both ends. */
    static byte[] pairKey(SecAggConfig cfg, byte[] mySecret, byte[] peerPublic) {
        return MaskStream.hkdf(Secp256k1Keys.sharedX(mySecret, peerPublic), cfg.salt(), INFO);
    }

    static SecAggMessage.EncryptedShare seal(SecAggConfig cfg, String from, String to, byte[] pairKey,
                                             SharePair pair, SecureRandom random) {
        byte[] plain = ByteBuffer.allocate(PLAIN).putInt(pair.selfMask().x())
                .put(Shamir.toFixed(pair.selfMask().y(), Shamir.SHARE_BYTES))
                .put(Shamir.toFixed(pair.maskKey().y(), Shamir.SHARE_BYTES)).array();
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        return new SecAggMessage.EncryptedShare(cfg.round(), from, to, nonce,
                run(Cipher.ENCRYPT_MODE, cfg, from, to, pairKey, nonce, plain));
    }

    /** The shares inside, or null when the ciphertext was not made for this pair in this round. */
    static SharePair open(SecAggConfig cfg, SecAggMessage.EncryptedShare m, byte[] pairKey) {
        byte[] plain;
        try {
            plain = run(Cipher.DECRYPT_MODE, cfg, m.from(), m.to(), pairKey, m.nonce(), m.ciphertext());
        } catch (IllegalArgumentException notAuthentic) {
            return null;
        }
        if (plain.length != PLAIN) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(plain);
        int x = b.getInt();
        byte[] y1 = new byte[Shamir.SHARE_BYTES];
        byte[] y2 = new byte[Shamir.SHARE_BYTES];
        b.get(y1).get(y2);
        BigInteger v1 = new BigInteger(1, y1);
        BigInteger v2 = new BigInteger(1, y2);
        if (x < 1 || v1.compareTo(Shamir.P) >= 0 || v2.compareTo(Shamir.P) >= 0) {
            return null;
        }
        return new SharePair(new Share(x, v1), new Share(x, v2));
    }

    private static byte[] run(int mode, SecAggConfig cfg, String from, String to, byte[] key, byte[] nonce, byte[] input) {
        if (nonce == null || nonce.length != 12 || input == null) {
            throw new IllegalArgumentException("bad nonce or ciphertext");
        }
        byte[] aad = (cfg.round() + "|" + from + "|" + to).getBytes(StandardCharsets.UTF_8);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(aad);
            return gcm.doFinal(input);
        } catch (AEADBadTagException bad) {
            throw new IllegalArgumentException("share does not authenticate", bad);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is mandatory in every JDK", e);
        }
    }
}
