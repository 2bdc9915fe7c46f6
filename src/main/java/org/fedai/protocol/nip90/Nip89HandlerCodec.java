package org.fedai.protocol.nip90;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedai.nostr.Event;
import org.fedai.nostr.Json;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Rejection;

/**
 * NIP-89 (https://github.com/nostr-protocol/nips/blob/master/89.md): the 31990 handler information, {@code d} and one
 * {@code k} per request kind, content kind-0-style metadata plus fedai's pricing; and the 31989 recommendation.
 */
public final class Nip89HandlerCodec {

    public static final int HANDLER_KIND = 31990;
    public static final int RECOMMENDATION_KIND = 31989;

    private Nip89HandlerCodec() {
    }

    public static UnsignedEvent encode(Nip89Handler h, long createdAt) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("d", h.d()));
        h.kinds().forEach(k -> tags.add(List.of("k", Integer.toString(k))));
        ObjectNode content = Json.MAPPER.createObjectNode().put("name", h.name()).put("about", h.about());
        ObjectNode pricing = content.putObject("pricing");
        new TreeMap<>(h.pricing()).forEach((kind, p) -> pricing.putObject(Integer.toString(kind))
                .put("msat_per_unit", p.msatPerUnit()).put("unit", p.unit()));
        ObjectNode fedai = content.putObject("fedai");
        if (!h.node().isEmpty()) {
            fedai.put("node", h.node());
        }
        if (!h.router().isEmpty()) {
            fedai.put("router", h.router());
        }
        content.putObject("nip90Params");
        return new UnsignedEvent(createdAt, HANDLER_KIND, tags, content.toString());
    }

    public static Decoded<Nip89Handler> decode(Event event) {
        if (event.kind() != HANDLER_KIND) {
            return Decoded.rejected(Rejection.Reason.WRONG_KIND, "a handler is kind 31990");
        }
        var d = Nip90Tags.first(event, "d");
        if (d.isEmpty()) {
            return Decoded.rejected(Rejection.Reason.MISSING_TAG, "a handler needs a d tag");
        }
        List<Integer> kinds = new ArrayList<>();
        for (List<String> t : event.tags()) {
            if (t.size() > 1 && t.get(0).equals("k")) {
                if (!t.get(1).matches("[0-9]{1,5}")) {
                    return Decoded.rejected(Rejection.Reason.MALFORMED_TAG, "k: a kind number, got " + t.get(1));
                }
                kinds.add(Integer.parseInt(t.get(1)));
            }
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(event.content());
        } catch (java.io.IOException e) {
            return Decoded.rejected(Rejection.Reason.MALFORMED_CONTENT, "content is not JSON");
        }
        if (root == null || !root.isObject()) {
            return Decoded.rejected(Rejection.Reason.MALFORMED_CONTENT, "content must be a JSON object");
        }
        Map<Integer, Nip89Handler.Price> pricing = new TreeMap<>();
        root.path("pricing").properties().forEach(e -> {
            if (e.getKey().matches("[0-9]{1,5}")) {
                pricing.put(Integer.parseInt(e.getKey()), new Nip89Handler.Price(
                        e.getValue().path("msat_per_unit").asLong(), e.getValue().path("unit").asText()));
            }
        });
        return Decoded.accepted(new Nip89Handler(d.get().get(1), kinds, root.path("name").asText(),
                root.path("about").asText(), pricing, root.path("fedai").path("node").asText(),
                root.path("fedai").path("router").asText()));
    }

    /** A 31989 recommendation of the handler {@code handlerPubkey}/{@code d} for request kind {@code kind}. */
    public static UnsignedEvent encodeRecommendation(int kind, String handlerPubkey, String d, String relay,
            long createdAt) {
        return new UnsignedEvent(createdAt, RECOMMENDATION_KIND, List.of(List.of("d", Integer.toString(kind)),
                List.of("a", HANDLER_KIND + ":" + handlerPubkey + ":" + d, relay, "nostr")), "");
    }
}
