package org.fedai.domain;

/** A Nostr public key (x-only secp256k1, BIP-340): who a client, router or node is. */
public record PublicKey(String hex) {

    public PublicKey {
        HexId.check(hex, "a public key");
    }

    public static PublicKey of(String hex) {
        return new PublicKey(hex);
    }

    /** {@code hex} as a key, or null for null (a job not quoted yet has no node). */
    public static PublicKey ofNullable(String hex) {
        return hex == null ? null : new PublicKey(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
