package org.fedai.domain;

/** A Nostr public key (x-only secp256k1, BIP-340): who a client, router or node is. */
public record PublicKey(String hex) {

    public PublicKey {
        HexId.check(hex, "a public key");
    }

    public static PublicKey of(String hex) {
        return new PublicKey(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
