package org.fedai.nostr;

import java.util.Arrays;

/** A Nostr identity: a secp256k1 secret key and its x-only public key. The secret never leaves in toString. */
public final class KeyPair {

    private final byte[] secretKey;
    private final String publicKeyHex;

    private KeyPair(byte[] secretKey) {
        this.secretKey = secretKey.clone();
        this.publicKeyHex = Hex.encode(Secp256k1Keys.xOnlyPublicKey(this.secretKey));
    }

    public static KeyPair generate() {
        return new KeyPair(Secp256k1Keys.generateSecretKey());
    }

    public static KeyPair fromSecretKey(byte[] secretKey) {
        return new KeyPair(secretKey);
    }

    /** Accepts 64 hex characters or an {@code nsec1...} string. */
    public static KeyPair parse(String secret) {
        String s = secret.strip();
        if (s.startsWith("nsec1")) {
            return new KeyPair(Nip19.decodeNsec(s));
        }
        return new KeyPair(Hex.decodeFixed(s.toLowerCase(java.util.Locale.ROOT), 32));
    }

    public byte[] secretKey() {
        return secretKey.clone();
    }

    public String secretKeyHex() {
        return Hex.encode(secretKey);
    }

    public String publicKey() {
        return publicKeyHex;
    }

    public String npub() {
        return Nip19.encodeNpub(publicKeyHex);
    }

    public String nsec() {
        return Nip19.encodeNsec(secretKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPair other && Arrays.equals(secretKey, other.secretKey);
    }

    @Override
    public int hashCode() {
        return publicKeyHex.hashCode();
    }

    @Override
    public String toString() {
        return "KeyPair[" + publicKeyHex + "]";
    }
}
