package org.fedai.payment.nwc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;

/** Typed, reasoned reads and writes of NIP-47 JSON fields. JSON null counts as absent, as wallets send both. */
final class Nip47Fields {

    private Nip47Fields() {
    }

    static JsonNode parseObject(String json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw new Nip47Exception(Nip47Exception.Reason.MALFORMED_JSON, "content is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new Nip47Exception(Nip47Exception.Reason.MALFORMED_JSON, "content is not JSON: " + e.getOriginalMessage());
        }
    }

    static boolean present(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return n != null && !n.isNull();
    }

    static JsonNode object(JsonNode parent, String field) {
        if (!present(parent, field)) {
            throw missing(field);
        }
        JsonNode n = parent.get(field);
        if (!n.isObject()) {
            throw malformed(field + " must be an object");
        }
        return n;
    }

    static String optText(JsonNode parent, String field) {
        if (!present(parent, field)) {
            return null;
        }
        JsonNode n = parent.get(field);
        if (!n.isTextual()) {
            throw malformed(field + " must be a string");
        }
        return n.asText();
    }

    static String text(JsonNode parent, String field) {
        String value = optText(parent, field);
        if (value == null) {
            throw missing(field);
        }
        if (value.isEmpty()) {
            throw malformed(field + " must not be empty");
        }
        return value;
    }

    /** A 32-byte hash or preimage in hex; upper case is tolerated on read and normalised. */
    static String hex32(JsonNode parent, String field) {
        String value = text(parent, field).toLowerCase(java.util.Locale.ROOT);
        if (!Hex.isLowerHex(value, 32)) {
            throw malformed(field + " must be 64 hex characters");
        }
        return value;
    }

    static String optHex32(JsonNode parent, String field) {
        return present(parent, field) ? hex32(parent, field) : null;
    }

    static Long optLong(JsonNode parent, String field) {
        if (!present(parent, field)) {
            return null;
        }
        JsonNode n = parent.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw malformed(field + " must be a non-negative integer");
        }
        return n.asLong();
    }

    static long requiredLong(JsonNode parent, String field) {
        Long value = optLong(parent, field);
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    static Integer optInt(JsonNode parent, String field) {
        Long value = optLong(parent, field);
        if (value != null && value > Integer.MAX_VALUE) {
            throw malformed(field + " is too large");
        }
        return value == null ? null : value.intValue();
    }

    static Boolean optBoolean(JsonNode parent, String field) {
        if (!present(parent, field)) {
            return null;
        }
        JsonNode n = parent.get(field);
        if (!n.isBoolean()) {
            throw malformed(field + " must be a boolean");
        }
        return n.asBoolean();
    }

    static void put(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    static void put(ObjectNode node, String field, Long value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    static void put(ObjectNode node, String field, Integer value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    static void put(ObjectNode node, String field, Boolean value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    static Nip47Exception missing(String field) {
        return new Nip47Exception(Nip47Exception.Reason.MISSING_FIELD, field + " is missing");
    }

    static Nip47Exception malformed(String detail) {
        return new Nip47Exception(Nip47Exception.Reason.MALFORMED_FIELD, detail);
    }
}
