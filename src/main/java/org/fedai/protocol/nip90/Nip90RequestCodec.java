package org.fedai.protocol.nip90;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Rejection;

/**
 * NIP-90 job requests (https://github.com/nostr-protocol/nips/blob/master/90.md), kinds 5000-5999: {@code i} inputs,
 * {@code param}s, {@code output}, {@code bid}, {@code relays}, {@code p} providers, NIP-40 {@code expiration}. An
 * encrypted request carries {@code ["encrypted"]}, one {@code p} and its private tags as an encrypted JSON array in
 * the content. Pure; the signature is the relay pool's to check.
 */
public final class Nip90RequestCodec {

    public static final int MIN_KIND = 5000;
    public static final int MAX_KIND = 5999;
    public static final int MAX_INPUTS = 64;
    public static final int MAX_INPUT_BYTES = 64 * 1024;
    public static final int MAX_PARAMS = 64;
    public static final int MAX_PARAM_BYTES = 1024;
    private static final Set<String> INPUT_TYPES = Set.of("text", "prompt", "url", "event", "job");

    private Nip90RequestCodec() {
    }

    /** {@code provider} opens encrypted requests; one encrypted to somebody else is {@code not_for_us}. */
    public static Decoded<Nip90Request> decode(Event event, KeyPair provider, long now) {
        try {
            if (event.kind() < MIN_KIND || event.kind() > MAX_KIND) {
                throw new Invalid(Rejection.Reason.WRONG_KIND, "a NIP-90 request is of kind 5000-5999");
            }
            List<String> providers = new ArrayList<>();
            boolean encrypted = false;
            long expiresAt = 0;
            for (List<String> tag : event.tags()) {
                switch (tag.isEmpty() ? "" : tag.get(0)) {
                    case "p" -> providers.add(value(tag, "p"));
                    case "encrypted" -> encrypted = true;
                    case "expiration" -> expiresAt = number(value(tag, "expiration"), "expiration");
                    default -> { }
                }
            }
            if (expiresAt != 0 && expiresAt <= now) {
                throw new Invalid(Rejection.Reason.EXPIRED, "expired at " + expiresAt);
            }
            List<List<String>> tags = event.tags();
            Nip90Encryption scheme = Nip90Encryption.NONE;
            if (encrypted) {
                if (providers.size() != 1) {
                    throw new Invalid(Rejection.Reason.MALFORMED_TAG, "p: an encrypted request names one provider");
                }
                if (!providers.get(0).equals(provider.publicKey())) {
                    throw new Invalid(Rejection.Reason.NOT_FOR_US, "encrypted to provider " + providers.get(0));
                }
                scheme = Nip90Seal.schemeOf(event.content());
                tags = privateTags(open(scheme, event, provider));
            }
            return Decoded.accepted(read(event, tags, providers, scheme, expiresAt));
        } catch (Invalid e) {
            return Decoded.rejected(e.reason, e.getMessage());
        }
    }

    private static Nip90Request read(Event event, List<List<String>> tags, List<String> providers,
            Nip90Encryption scheme, long expiresAt) throws Invalid {
        List<Nip90Input> inputs = new ArrayList<>();
        Map<String, String> params = new LinkedHashMap<>();
        List<String> relays = new ArrayList<>();
        String output = "";
        OptionalLong bid = OptionalLong.empty();
        for (List<String> tag : tags) {
            switch (tag.isEmpty() ? "" : tag.get(0)) {
                case "i" -> inputs.add(input(tag));
                case "param" -> {
                    if (tag.size() < 3 || tag.get(1).isEmpty()) {
                        throw new Invalid(Rejection.Reason.MALFORMED_TAG, "param: needs a name and a value");
                    }
                    if (bytes(tag.get(1)) > MAX_PARAM_BYTES || bytes(tag.get(2)) > MAX_PARAM_BYTES) {
                        throw new Invalid(Rejection.Reason.TOO_LARGE, "param: names and values are at most 1 KiB");
                    }
                    params.remove(tag.get(1)); // the last duplicate wins, in its own position
                    params.put(tag.get(1), tag.get(2));
                }
                case "output" -> output = value(tag, "output");
                case "bid" -> bid = OptionalLong.of(number(value(tag, "bid"), "bid"));
                case "relays" -> relays.addAll(tag.subList(1, tag.size()));
                default -> { }
            }
        }
        if (inputs.size() > MAX_INPUTS) {
            throw new Invalid(Rejection.Reason.TOO_LARGE, "at most " + MAX_INPUTS + " inputs, got " + inputs.size());
        }
        if (params.size() > MAX_PARAMS) {
            throw new Invalid(Rejection.Reason.TOO_LARGE, "at most " + MAX_PARAMS + " params");
        }
        return new Nip90Request(event.id(), event.kind(), event.pubkey(), event.createdAt(), inputs, params, output,
                bid, relays, providers, scheme, expiresAt, EventJson.toJson(event));
    }

    private static Nip90Input input(List<String> tag) throws Invalid {
        if (tag.size() < 3) {
            throw new Invalid(Rejection.Reason.MALFORMED_TAG, "i: needs data and an input type");
        }
        String type = tag.get(2).toLowerCase(java.util.Locale.ROOT);
        if (!INPUT_TYPES.contains(type)) {
            throw new Invalid(Rejection.Reason.MALFORMED_TAG, "i: input type must be one of " + INPUT_TYPES
                    + ", got " + tag.get(2));
        }
        if (bytes(tag.get(1)) > MAX_INPUT_BYTES) {
            throw new Invalid(Rejection.Reason.TOO_LARGE, "i: an input is at most 64 KiB");
        }
        return new Nip90Input(tag.get(1), type, tag.size() > 3 ? tag.get(3) : "", tag.size() > 4 ? tag.get(4) : "");
    }

    private static String open(Nip90Encryption scheme, Event event, KeyPair provider) throws Invalid {
        try {
            return Nip90Seal.open(scheme, event.content(), provider, event.pubkey());
        } catch (IllegalArgumentException e) {
            throw new Invalid(Rejection.Reason.UNDECRYPTABLE, "content does not open with " + scheme + ": "
                    + e.getMessage());
        }
    }

    /** The decrypted content: a JSON array of tags, each an array of strings. */
    private static List<List<String>> privateTags(String json) throws Invalid {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new Invalid(Rejection.Reason.MALFORMED_CONTENT, "decrypted content is not JSON");
        }
        if (root == null || !root.isArray()) {
            throw new Invalid(Rejection.Reason.MALFORMED_CONTENT, "decrypted content must be a JSON array of tags");
        }
        List<List<String>> tags = new ArrayList<>();
        for (JsonNode tag : root) {
            if (!tag.isArray()) {
                throw new Invalid(Rejection.Reason.MALFORMED_CONTENT, "each private tag is an array of strings");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode v : tag) {
                if (!v.isTextual()) {
                    throw new Invalid(Rejection.Reason.MALFORMED_CONTENT, "each private tag is an array of strings");
                }
                values.add(v.asText());
            }
            tags.add(values);
        }
        return tags;
    }

    /**
     * A request, as a customer (tests, the demo) sends it; with {@code encryption} other than NONE the inputs,
     * params, output and bid go into the content, sealed to {@code providers.get(0)}.
     */
    public static UnsignedEvent encode(int kind, List<Nip90Input> inputs, Map<String, String> params, String output,
            OptionalLong bidMsat, List<String> relays, List<String> providers, Nip90Encryption encryption,
            KeyPair customer, long createdAt) {
        List<List<String>> secret = new ArrayList<>();
        for (Nip90Input in : inputs) {
            secret.add(in.relay().isEmpty() && in.marker().isEmpty() ? List.of("i", in.data(), in.type())
                    : List.of("i", in.data(), in.type(), in.relay(), in.marker()));
        }
        params.forEach((k, v) -> secret.add(List.of("param", k, v)));
        if (!output.isEmpty()) {
            secret.add(List.of("output", output));
        }
        bidMsat.ifPresent(b -> secret.add(List.of("bid", Long.toString(b))));
        List<List<String>> tags = new ArrayList<>();
        if (!relays.isEmpty()) {
            List<String> r = new ArrayList<>(List.of("relays"));
            r.addAll(relays);
            tags.add(r);
        }
        providers.forEach(p -> tags.add(List.of("p", p)));
        if (encryption == Nip90Encryption.NONE) {
            tags.addAll(0, secret);
            return new UnsignedEvent(createdAt, kind, tags, "");
        }
        if (providers.size() != 1) {
            throw new IllegalArgumentException("an encrypted request names exactly one provider");
        }
        tags.add(List.of("encrypted"));
        String sealed = Nip90Seal.seal(encryption, Json.MAPPER.valueToTree(secret).toString(), customer,
                providers.get(0));
        return new UnsignedEvent(createdAt, kind, tags, sealed);
    }

    private static String value(List<String> tag, String name) throws Invalid {
        if (tag.size() < 2 || tag.get(1).isEmpty()) {
            throw new Invalid(Rejection.Reason.MALFORMED_TAG, name + ": needs a value");
        }
        return tag.get(1);
    }

    private static long number(String raw, String name) throws Invalid {
        try {
            if (raw.matches("[0-9]{1,19}")) {
                return Long.parseLong(raw);
            }
        } catch (NumberFormatException beyondLong) {
            // falls through to the refusal
        }
        throw new Invalid(Rejection.Reason.MALFORMED_TAG, name + ": must be a non-negative integer, got " + raw);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A refusal on its way out of the decoder. */
    static final class Invalid extends Exception {
        final Rejection.Reason reason;

        Invalid(Rejection.Reason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
