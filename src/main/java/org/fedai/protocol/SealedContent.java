package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip44;
import org.fedai.nostr.Nip44Exception;
import org.fedai.nostr.UnsignedEvent;

/** NIP-44 v2 content addressed to the event's {@code p}-tagged recipient: seal on encode, open on decode. */
final class SealedContent {

    /**
     * Conversation keys by (own public key, peer): a market role seals to and opens from the same few peers on
     * every job (router and node, client and router), and each key is an ECDH (about 30 us). It holds nothing
     * the process does not hold already: whoever can read it can read the secret key it came from.
     */
    private static final Cache<String, byte[]> KEYS = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    private SealedContent() {
    }

    /** Nip44.conversationKey, from the cache when this pair was seen lately; an invalid peer key is never cached. */
    static byte[] conversationKey(KeyPair me, String peerPubkey) {
        return KEYS.get(me.publicKey() + peerPubkey, k -> Nip44.conversationKey(me.secretKey(), peerPubkey));
    }

    static String seal(String json, KeyPair author, String recipientPubkey) {
        return Nip44.encrypt(json, conversationKey(author, recipientPubkey));
    }

    /**
     * The decrypted JSON object, after checking that {@code recipient} is the event's first {@code p} tag:
     * anything else is NOT_FOR_US (and was never decryptable by us anyway).
     */
    static JsonNode open(Event event, KeyPair recipient) throws InvalidContentException {
        String addressee = CommonTags.required(event, "p");
        if (!addressee.equals(recipient.publicKey())) {
            throw new InvalidContentException(Rejection.Reason.NOT_FOR_US, "addressed to " + addressee);
        }
        String plaintext;
        try {
            plaintext = Nip44.decrypt(event.content(), conversationKey(recipient, event.pubkey()));
        } catch (Nip44Exception e) {
            throw new InvalidContentException(Rejection.Reason.UNDECRYPTABLE, e.getMessage());
        }
        return JsonFields.parseObject(plaintext);
    }

    /**
     * The envelope of the per-job sealed kinds: {@code p} recipient, {@code e} job, the common tags and,
     * when {@code expiresAt} is positive, a NIP-40 expiration.
     */
    static UnsignedEvent jobEvent(FedaiKind kind, String jobId, ObjectNode content, KeyPair author, String recipient,
            long createdAt, long expiresAt) {
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("p", recipient));
        tags.add(1, List.of("e", jobId));
        if (expiresAt > 0) {
            tags.add(List.of("expiration", Long.toString(expiresAt)));
        }
        return new UnsignedEvent(createdAt, kind.number(), tags, seal(content.toString(), author, recipient));
    }

    /** Opens a per-job sealed event and checks that its content's {@code job} is its {@code e} tag. */
    static JsonNode openJob(Event event, KeyPair recipient) throws InvalidContentException {
        return checkJob(event, open(event, recipient));
    }

    /** As above, with a NIP-44 conversation key revealed by one of the two parties (a tampering claim, 4409). */
    static JsonNode openJob(Event event, byte[] conversationKey) throws InvalidContentException {
        String plaintext;
        try {
            plaintext = Nip44.decrypt(event.content(), conversationKey);
        } catch (IllegalArgumentException e) {
            // Nip44Exception is one; a key of the wrong size is the other
            throw new InvalidContentException(Rejection.Reason.UNDECRYPTABLE, e.getMessage());
        }
        return checkJob(event, JsonFields.parseObject(plaintext));
    }

    private static JsonNode checkJob(Event event, JsonNode root) throws InvalidContentException {
        String job = JsonFields.hex32(root, "job");
        if (!job.equals(CommonTags.required(event, "e"))) {
            throw JsonFields.invalid("job differs from the e tag");
        }
        return root;
    }
}
