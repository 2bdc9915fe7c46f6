package org.fedai.nostr;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 through the JDK's intrinsic-accelerated provider, one digest per thread. */
public final class Sha256 {

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    });

    private Sha256() {
    }

    public static byte[] hash(byte[] data) {
        return DIGEST.get().digest(data);
    }

    public static byte[] hash(byte[] data, int offset, int length) {
        MessageDigest digest = DIGEST.get();
        digest.update(data, offset, length);
        return digest.digest();
    }
}
