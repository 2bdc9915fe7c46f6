package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip44;
import org.fedai.nostr.Nip44Exception;

/** NIP-44 v2 content addressed to the event's {@code p}-tagged recipient: seal on encode, open on decode. */
final class SealedContent {

    private SealedContent() {
    }

    static String seal(String json, KeyPair author, String recipientPubkey) {
        return Nip44.encrypt(json, Nip44.conversationKey(author.secretKey(), recipientPubkey));
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
            plaintext = Nip44.decrypt(event.content(), Nip44.conversationKey(recipient.secretKey(), event.pubkey()));
        } catch (Nip44Exception e) {
            throw new InvalidContentException(Rejection.Reason.UNDECRYPTABLE, e.getMessage());
        }
        return JsonFields.parseObject(plaintext);
    }
}
