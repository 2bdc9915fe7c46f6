package org.fedai.nostr;

import java.util.List;

/** Computes NIP-01 ids and BIP-340 signatures. Pure apart from the signature's random aux bytes. */
public final class EventSigner {

    private EventSigner() {
    }

    public static Event sign(UnsignedEvent unsigned, KeyPair keys) {
        byte[] id = idBytes(keys.publicKey(), unsigned.createdAt(), unsigned.kind(), unsigned.tags(), unsigned.content());
        byte[] sig = Secp256k1Keys.signSchnorr(id, keys.secretKey());
        return new Event(Hex.encode(id), keys.publicKey(), unsigned.createdAt(), unsigned.kind(), unsigned.tags(),
                unsigned.content(), Hex.encode(sig));
    }

    public static byte[] idBytes(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        return Sha256.hash(CanonicalJson.serialize(pubkey, createdAt, kind, tags, content));
    }

    public static String id(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        return Hex.encode(idBytes(pubkey, createdAt, kind, tags, content));
    }
}
