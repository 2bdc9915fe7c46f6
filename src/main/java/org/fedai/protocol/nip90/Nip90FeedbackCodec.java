package org.fedai.protocol.nip90;

import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Rejection;

/**
 * NIP-90 job feedback, kind 7000. Status and amount stay in the clear even for an encrypted request, so that any
 * client can show what to pay; only the content (a partial result) is sealed.
 */
public final class Nip90FeedbackCodec {

    public static final int KIND = 7000;

    private Nip90FeedbackCodec() {
    }

    public static UnsignedEvent encode(Nip90Feedback f, Nip90Request request, KeyPair provider, long createdAt) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(f.extraInfo().isEmpty() ? List.of("status", f.status().code())
                : List.of("status", f.status().code(), f.extraInfo()));
        tags.addAll(Nip90Tags.answering(request, f.amountMsat(), f.bolt11()));
        String content = request.encrypted() && !f.content().isEmpty()
                ? Nip90Seal.seal(request.encryption(), f.content(), provider, request.customer()) : f.content();
        return new UnsignedEvent(createdAt, KIND, tags, content);
    }

    /** For customers: the feedback, its content opened with {@code customer}'s key when it was sealed. */
    public static Decoded<Nip90Feedback> decode(Event event, KeyPair customer) {
        if (event.kind() != KIND) {
            return Decoded.rejected(Rejection.Reason.WRONG_KIND, "feedback is kind 7000");
        }
        var status = Nip90Tags.first(event, "status");
        var request = Nip90Tags.first(event, "e");
        var to = Nip90Tags.first(event, "p");
        if (status.isEmpty() || request.isEmpty() || to.isEmpty()) {
            return Decoded.rejected(Rejection.Reason.MISSING_TAG, "feedback needs status, e and p tags");
        }
        var parsed = Nip90Status.ofCode(status.get().get(1));
        if (parsed.isEmpty()) {
            return Decoded.rejected(Rejection.Reason.MALFORMED_TAG, "status: unknown " + status.get().get(1));
        }
        try {
            String content = Nip90Tags.has(event, "encrypted") && !event.content().isEmpty()
                    ? Nip90Seal.open(Nip90Seal.schemeOf(event.content()), event.content(), customer, event.pubkey())
                    : event.content();
            return Decoded.accepted(new Nip90Feedback(request.get().get(1), to.get().get(1), parsed.get(),
                    status.get().size() > 2 ? status.get().get(2) : "", Nip90Tags.amount(event), Nip90Tags.bolt11(event),
                    content));
        } catch (IllegalArgumentException e) {
            return Decoded.rejected(Rejection.Reason.MALFORMED_TAG, e.getMessage());
        }
    }
}
