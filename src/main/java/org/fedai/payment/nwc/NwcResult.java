package org.fedai.payment.nwc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Json;

/** The {@code result} object of a successful NIP-47 response; which variant depends on the method. */
public sealed interface NwcResult {

    /** pay_invoice: the preimage is the proof of payment. */
    record Paid(String preimage, Long feesPaidMsat) implements NwcResult {
        public Paid {
            if (preimage == null || preimage.isEmpty()) {
                throw Nip47Fields.missing("preimage");
            }
        }
    }

    /** make_invoice, lookup_invoice, make_hold_invoice. */
    record Transaction(NwcTransaction transaction) implements NwcResult {
    }

    record Balance(long balanceMsat) implements NwcResult {
    }

    /** get_info; every field but {@code methods} may be null. */
    record Info(String alias, String color, String pubkey, String network, Long blockHeight, String blockHash,
            List<String> methods, List<String> notifications) implements NwcResult {
        public Info {
            methods = List.copyOf(methods);
            notifications = notifications == null ? null : List.copyOf(notifications);
        }
    }

    record Transactions(List<NwcTransaction> transactions) implements NwcResult {
        public Transactions {
            transactions = List.copyOf(transactions);
        }
    }

    /** settle_hold_invoice and cancel_hold_invoice answer with an empty object. */
    record Empty() implements NwcResult {
    }

    static ObjectNode toJson(NwcResult result) {
        return switch (result) {
            case Paid r -> {
                ObjectNode n = Json.MAPPER.createObjectNode().put("preimage", r.preimage());
                Nip47Fields.put(n, "fees_paid", r.feesPaidMsat());
                yield n;
            }
            case Transaction r -> r.transaction().toJson();
            case Balance r -> Json.MAPPER.createObjectNode().put("balance", r.balanceMsat());
            case Info r -> {
                ObjectNode n = Json.MAPPER.createObjectNode();
                Nip47Fields.put(n, "alias", r.alias());
                Nip47Fields.put(n, "color", r.color());
                Nip47Fields.put(n, "pubkey", r.pubkey());
                Nip47Fields.put(n, "network", r.network());
                Nip47Fields.put(n, "block_height", r.blockHeight());
                Nip47Fields.put(n, "block_hash", r.blockHash());
                r.methods().forEach(n.putArray("methods")::add);
                if (r.notifications() != null) {
                    r.notifications().forEach(n.putArray("notifications")::add);
                }
                yield n;
            }
            case Transactions r -> {
                ObjectNode n = Json.MAPPER.createObjectNode();
                ArrayNode list = n.putArray("transactions");
                r.transactions().forEach(t -> list.add(t.toJson()));
                yield n;
            }
            case Empty r -> Json.MAPPER.createObjectNode();
        };
    }

    /** Reads the result of {@code method}; the variant is chosen by the method, as result_type says. */
    static NwcResult fromJson(NwcMethod method, JsonNode n) {
        return switch (method) {
            case PAY_INVOICE -> new Paid(Nip47Fields.text(n, "preimage"), Nip47Fields.optLong(n, "fees_paid"));
            case MAKE_INVOICE, LOOKUP_INVOICE, MAKE_HOLD_INVOICE -> new Transaction(NwcTransaction.fromJson(n));
            case GET_BALANCE -> new Balance(Nip47Fields.requiredLong(n, "balance"));
            case GET_INFO -> new Info(Nip47Fields.optText(n, "alias"), Nip47Fields.optText(n, "color"),
                    Nip47Fields.optText(n, "pubkey"), Nip47Fields.optText(n, "network"),
                    Nip47Fields.optLong(n, "block_height"), Nip47Fields.optText(n, "block_hash"),
                    strings(n, "methods", true), strings(n, "notifications", false));
            case LIST_TRANSACTIONS -> {
                JsonNode list = n.get("transactions");
                if (list == null || !list.isArray()) {
                    throw Nip47Fields.missing("transactions");
                }
                List<NwcTransaction> out = new ArrayList<>();
                for (JsonNode t : list) {
                    if (!t.isObject()) {
                        throw Nip47Fields.malformed("transactions must hold objects");
                    }
                    out.add(NwcTransaction.fromJson(t));
                }
                yield new Transactions(out);
            }
            case SETTLE_HOLD_INVOICE, CANCEL_HOLD_INVOICE -> new Empty();
        };
    }

    private static List<String> strings(JsonNode n, String field, boolean required) {
        JsonNode list = n.get(field);
        if (list == null || list.isNull()) {
            if (required) {
                throw Nip47Fields.missing(field);
            }
            return null;
        }
        if (!list.isArray()) {
            throw Nip47Fields.malformed(field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : list) {
            if (!s.isTextual()) {
                throw Nip47Fields.malformed(field + " must be an array of strings");
            }
            out.add(s.asText());
        }
        return out;
    }
}
