package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

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

    static long nonNegativeLong(JsonNode parent, String field) throws InvalidContentException {
        JsonNode node = parent.get(field);
        if (node == null || !node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
            throw invalid(field + " must be a non-negative integer");
        }
        return node.asLong();
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

    static InvalidContentException invalid(String detail) {
        return new InvalidContentException(Rejection.Reason.MALFORMED_CONTENT, detail);
    }
}
