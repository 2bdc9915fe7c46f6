package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip44;
import org.fedai.nostr.Nip44Exception;

/**
 * A job's input sent with its spec (4400-job-request.md, {@code early_input}), for the node the router will choose:
 * the texts and params sealed once with NIP-44 v2 under a fresh 32-byte content key, and that key sealed (NIP-44 v2,
 * client to node) for each candidate node the client names. The router, which never holds the content key, copies
 * the ciphertext and the chosen node's sealed key into that node's quote (4401 {@code early_input}), so the node holds
 * the input one relay hop after the spec instead of two after the quote. Only the client can make either seal (each
 * carries its MAC), and the node still checks the texts against the quote's {@code input_sha256}.
 *
 * @param ciphertext the NIP-44 v2 payload of {@code {"texts": [...], "params": {...}}} under the content key
 * @param keys       per candidate node (64-hex pubkey): the NIP-44 v2 payload, client to that node, of the key's hex
 */
public record EarlyInput(String ciphertext, Map<String, String> keys) {

    /** Candidate nodes a spec may name: each costs its sealed key in the spec. */
    public static final int MAX_NODES = 8;
    /** The largest input sent early: the quote that carries it on must stay well under the relays' event limit. */
    public static final long MAX_BYTES = 16_384;
    private static final SecureRandom RANDOM = new SecureRandom();

    public EarlyInput {
        keys = Map.copyOf(keys);
    }

    /** The copy a node's quote carries: the ciphertext and that node's sealed key. */
    public record Forwarded(String ciphertext, String key) {
    }

    /** The texts and params sealed for {@code nodes} (at most {@link #MAX_NODES}) by {@code client}. */
    public static EarlyInput seal(List<String> texts, Map<String, String> params, List<String> nodes, KeyPair client) {
        if (nodes.isEmpty() || nodes.size() > MAX_NODES) {
            throw new IllegalArgumentException("1.." + MAX_NODES + " candidate nodes, got " + nodes.size());
        }
        byte[] contentKey = new byte[32];
        RANDOM.nextBytes(contentKey);
        ObjectNode root = Json.MAPPER.createObjectNode();
        JsonFields.putTextArray(root, "texts", texts);
        JsonFields.putTextMap(root, "params", params);
        String ciphertext = Nip44.encrypt(root.toString(), contentKey);
        Map<String, String> keys = new LinkedHashMap<>();
        for (String node : nodes) {
            keys.put(node, Nip44.encrypt(Hex.encode(contentKey), Nip44.conversationKey(client.secretKey(), node)));
        }
        return new EarlyInput(ciphertext, keys);
    }

    /** What the router forwards to {@code node}, if the client sealed the key for it. */
    public java.util.Optional<Forwarded> forNode(String node) {
        return java.util.Optional.ofNullable(keys.get(node)).map(k -> new Forwarded(ciphertext, k));
    }

    /**
     * The input a node's quote carried, opened by that node with the client's key; {@code jobId} and
     * {@code expiresAt} fill the record as a 4400 input would. Refused when a seal does not open (not the client's,
     * or altered on the way) or its content is malformed.
     */
    public static Decoded<JobRequest.Input> open(Forwarded forwarded, KeyPair node, String clientPubkey, String jobId,
            long expiresAt) {
        try {
            String keyHex = Nip44.decrypt(forwarded.key(), Nip44.conversationKey(node.secretKey(), clientPubkey));
            if (!Hex.isLowerHex(keyHex, 32)) {
                throw new InvalidContentException(Rejection.Reason.MALFORMED_CONTENT, "content key is not 32 bytes");
            }
            JsonNode root = JsonFields.parseObject(Nip44.decrypt(forwarded.ciphertext(), Hex.decode(keyHex)));
            return Decoded.accepted(JobRequestCodec.inputOf(root, jobId, expiresAt));
        } catch (Nip44Exception e) {
            return Decoded.rejected(Rejection.Reason.UNDECRYPTABLE, "early input: " + e.getMessage());
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), "early input: " + e.getMessage());
        }
    }
}
