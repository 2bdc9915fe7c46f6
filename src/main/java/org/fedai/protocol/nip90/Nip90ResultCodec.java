package org.fedai.protocol.nip90;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Rejection;

/**
 * NIP-90 job results, kind = request kind + 1000: the payload, the stringified request, {@code e}, {@code p},
 * {@code amount}, and the inputs as {@code i} tags unless the request was encrypted (then the payload is sealed to
 * the customer the same way, and the inputs stay private).
 */
public final class Nip90ResultCodec {

    private Nip90ResultCodec() {
    }

    public static UnsignedEvent encode(String content, OptionalLong amountMsat, String bolt11, Nip90Request request,
            KeyPair provider, long createdAt) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("request", request.requestJson()));
        tags.addAll(Nip90Tags.answering(request, amountMsat, bolt11));
        if (!request.encrypted()) {
            for (Nip90Input in : request.inputs()) {
                tags.add(List.of("i", in.data(), in.type()));
            }
        }
        String payload = request.encrypted() ? Nip90Seal.seal(request.encryption(), content, provider,
                request.customer()) : content;
        return new UnsignedEvent(createdAt, request.resultKind(), tags, payload);
    }

    /** For customers: checks the kind, the tags and that the request tag is the request {@code e} names. */
    public static Decoded<Nip90Result> decode(Event event, KeyPair customer) {
        if (event.kind() < 6000 || event.kind() > 6999) {
            return Decoded.rejected(Rejection.Reason.WRONG_KIND, "a NIP-90 result is of kind 6000-6999");
        }
        var e = Nip90Tags.first(event, "e");
        var p = Nip90Tags.first(event, "p");
        var request = Nip90Tags.first(event, "request");
        if (e.isEmpty() || p.isEmpty() || request.isEmpty()) {
            return Decoded.rejected(Rejection.Reason.MISSING_TAG, "a result needs request, e and p tags");
        }
        try {
            Event asked = EventJson.parse(request.get().get(1));
            if (!asked.id().equals(e.get().get(1)) || asked.kind() + 1000 != event.kind()) {
                return Decoded.rejected(Rejection.Reason.INCONSISTENT, "the request tag is not the request e names");
            }
            Nip90Encryption scheme = Nip90Tags.has(event, "encrypted") ? Nip90Seal.schemeOf(event.content())
                    : Nip90Encryption.NONE;
            String content = Nip90Seal.open(scheme, event.content(), customer, event.pubkey());
            return Decoded.accepted(new Nip90Result(asked.id(), event.kind(), p.get().get(1), content,
                    Nip90Tags.amount(event), Nip90Tags.bolt11(event), scheme, request.get().get(1)));
        } catch (MalformedEventException ex) {
            return Decoded.rejected(Rejection.Reason.MALFORMED_TAG, "request: not an event: " + ex.getMessage());
        } catch (IllegalArgumentException ex) {
            return Decoded.rejected(Rejection.Reason.UNDECRYPTABLE, ex.getMessage());
        }
    }
}
