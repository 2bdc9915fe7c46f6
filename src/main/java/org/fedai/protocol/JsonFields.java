package org.fedai.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Json;

/** Typed, reasoned reads from a decoded JSON content object; every failure is MALFORMED_CONTENT. */
final class JsonFields {

    private JsonFields() {
    }

    static JsonNode object(JsonNode parent, String field) throws InvalidContentException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw invalid(field + " must be an object");
        }
        return node;
    }

    static String text(JsonNode parent, String field) throws InvalidContentException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw invalid(field + " must be a non-empty string");
        }
        return node.asText();
    }

    /** A 32-byte value in lower-case hex: an event id, a pubkey, a hash. */
    static String hex32(JsonNode parent, String field) throws InvalidContentException {
        String value = text(parent, field);
        if (!org.fedai.nostr.Hex.isLowerHex(value, 32)) {
            throw invalid(field + " must be 64 lower-case hex characters");
        }
        return value;
    }

    static long nonNegativeLong(JsonNode parent, String field) throws InvalidContentException {
        JsonNode node = parent.get(field);
        if (node == null || !node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
            throw invalid(field + " must be a non-negative integer");
        }
        return node.asLong();
    }

    static int nonNegativeInt(JsonNode parent, String field) throws InvalidContentException {
        long v = nonNegativeLong(parent, field);
        if (v > Integer.MAX_VALUE) {
            throw invalid(field + " is too large");
        }
        return (int) v;
    }

    static long optionalNonNegativeLong(JsonNode parent, String field, long fallback) throws InvalidContentException {
        return parent.has(field) ? nonNegativeLong(parent, field) : fallback;
    }

    static double number(JsonNode parent, String field, double min, double max) throws InvalidContentException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble()) || node.asDouble() < min
                || node.asDouble() > max) {
            throw invalid(field + " must be a number in [" + min + ", " + max + "]");
        }
        return node.asDouble();
    }

    static List<JsonNode> array(JsonNode parent, String field, boolean nonEmpty) throws InvalidContentException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isArray() || (nonEmpty && node.isEmpty())) {
            throw invalid(field + " must be a" + (nonEmpty ? " non-empty" : "n") + " array");
        }
        List<JsonNode> items = new ArrayList<>(node.size());
        node.forEach(items::add);
        return items;
    }

    static List<String> textArray(JsonNode parent, String field, boolean nonEmpty) throws InvalidContentException {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array(parent, field, nonEmpty)) {
            if (!item.isTextual()) {
                throw invalid(field + " must hold strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    static JsonNode parseObject(String content) throws InvalidContentException {
        try {
            JsonNode root = Json.MAPPER.readTree(content);
            if (root == null || !root.isObject()) {
                throw invalid("content must be a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw invalid("content is not JSON: " + e.getOriginalMessage());
        }
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String code, String what) throws InvalidContentException {
        try {
            return Enum.valueOf(type, code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("unknown " + what + " " + code);
        }
    }

    static Map<String, String> textMap(JsonNode root, String field) throws InvalidContentException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!root.has(field)) {
            return out;
        }
        for (Map.Entry<String, JsonNode> e : object(root, field).properties()) {
            if (!e.getValue().isTextual()) {
                throw invalid(field + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    static Map<String, Double> numberMap(JsonNode root, String field) throws InvalidContentException {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!root.has(field)) {
            return out;
        }
        JsonNode node = object(root, field);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), number(node, e.getKey(), 0, Double.MAX_VALUE));
        }
        return out;
    }

    static void putTextMap(ObjectNode root, String field, Map<String, String> values) {
        ObjectNode node = root.putObject(field);
        new TreeMap<>(values).forEach(node::put);
    }

    static void putNumberMap(ObjectNode root, String field, Map<String, Double> values) {
        ObjectNode node = root.putObject(field);
        new TreeMap<>(values).forEach(node::put);
    }

    static void putTextArray(ObjectNode root, String field, List<String> values) {
        ArrayNode node = root.putArray(field);
        values.forEach(node::add);
    }

    private static final Pattern COMPRESSED_KEY = Pattern.compile("0[23][0-9a-f]{64}");
    private static final Set<String> NETWORKS = Set.of("bitcoin", "testnet", "signet", "regtest");

    static PaymentTerms paymentTerms(JsonNode root) throws InvalidContentException {
        JsonNode p = object(root, "payment");
        Set<PaymentTiming> timing = EnumSet.noneOf(PaymentTiming.class);
        for (String t : textArray(p, "timing", true)) {
            timing.add(enumValue(PaymentTiming.class, t, "payment timing"));
        }
        String lightningPubkey = text(p, "lightning_pubkey");
        if (!COMPRESSED_KEY.matcher(lightningPubkey).matches()) {
            throw invalid("lightning_pubkey must be a 33-byte compressed key in hex");
        }
        String network = text(p, "network");
        if (!NETWORKS.contains(network)) {
            throw invalid("unknown network " + network);
        }
        return new PaymentTerms(timing, lightningPubkey, network);
    }

    static void putPaymentTerms(ObjectNode root, PaymentTerms terms) {
        ObjectNode payment = root.putObject("payment");
        ArrayNode timing = payment.putArray("timing");
        terms.timing().stream().map(PaymentTiming::code).sorted().forEach(timing::add);
        payment.put("lightning_pubkey", terms.lightningPubkey()).put("network", terms.network());
    }

    static InvalidContentException invalid(String detail) {
        return new InvalidContentException(Rejection.Reason.MALFORMED_CONTENT, detail);
    }
}
