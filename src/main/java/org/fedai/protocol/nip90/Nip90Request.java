package org.fedai.protocol.nip90;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A NIP-90 job request (kinds 5000-5999), decoded and, if it came encrypted, decrypted.
 *
 * @param params       insertion-ordered; of duplicate names the last wins
 * @param output       the requested MIME type, "" for none
 * @param providers    the service providers its {@code p} tags name (none: anyone may serve it)
 * @param expiresAt    its NIP-40 expiration, 0 for none
 * @param requestJson  the signed request as received, for the result's {@code request} tag
 */
public record Nip90Request(String id, int kind, String customer, long createdAt, List<Nip90Input> inputs,
        Map<String, String> params, String output, OptionalLong bidMsat, List<String> relays, List<String> providers,
        Nip90Encryption encryption, long expiresAt, String requestJson) {

    public Nip90Request {
        inputs = List.copyOf(inputs);
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        relays = List.copyOf(relays);
        providers = List.copyOf(providers);
    }

    public int resultKind() {
        return kind + 1000;
    }

    public boolean encrypted() {
        return encryption != Nip90Encryption.NONE;
    }

    public boolean addressedTo(String pubkey) {
        return providers.contains(pubkey);
    }
}
