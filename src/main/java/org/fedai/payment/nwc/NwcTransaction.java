package org.fedai.payment.nwc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.fedai.nostr.Json;

/**
 * The NIP-47 transaction object: what make_invoice, lookup_invoice and make_hold_invoice return, each
 * entry of list_transactions, and the body of every notification. Amounts are millisatoshis; times are
 * unix seconds. Optional fields are null when absent. {@code metadata} and {@code payer_note} are not kept.
 */
public record NwcTransaction(Type type, State state, String invoice, String description, String descriptionHash,
        String preimage, String paymentHash, long amountMsat, Long feesPaidMsat, long createdAt, Long expiresAt,
        Long settledAt) {

    /** "incoming" for invoices, "outgoing" for payments. */
    public enum Type {
        INCOMING, OUTGOING;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Transaction state as newer wallets report it; an unknown value reads as null (forward compatible). */
    public enum State {
        PENDING, SETTLED, EXPIRED, FAILED, ACCEPTED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public NwcTransaction {
        if (type == null) {
            throw new IllegalArgumentException("type is required");
        }
        if (paymentHash == null || amountMsat < 0 || createdAt < 0) {
            throw new IllegalArgumentException("payment_hash, a non-negative amount and created_at are required");
        }
    }

    public NwcTransaction withState(State newState, String newPreimage, Long newSettledAt) {
        return new NwcTransaction(type, newState, invoice, description, descriptionHash, newPreimage, paymentHash,
                amountMsat, feesPaidMsat, createdAt, expiresAt, newSettledAt);
    }

    ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", type.wire());
        Nip47Fields.put(n, "state", state == null ? null : state.wire());
        Nip47Fields.put(n, "invoice", invoice);
        Nip47Fields.put(n, "description", description);
        Nip47Fields.put(n, "description_hash", descriptionHash);
        Nip47Fields.put(n, "preimage", preimage);
        n.put("payment_hash", paymentHash);
        n.put("amount", amountMsat);
        Nip47Fields.put(n, "fees_paid", feesPaidMsat);
        n.put("created_at", createdAt);
        Nip47Fields.put(n, "expires_at", expiresAt);
        Nip47Fields.put(n, "settled_at", settledAt);
        return n;
    }

    static NwcTransaction fromJson(JsonNode n) {
        String typeText = Nip47Fields.text(n, "type");
        Type type = switch (typeText) {
            case "incoming" -> Type.INCOMING;
            case "outgoing" -> Type.OUTGOING;
            default -> throw Nip47Fields.malformed("type must be incoming or outgoing, got " + typeText);
        };
        String stateText = Nip47Fields.optText(n, "state");
        State state = null;
        for (State s : State.values()) {
            if (s.wire().equals(stateText)) {
                state = s;
            }
        }
        return new NwcTransaction(type, state, Nip47Fields.optText(n, "invoice"), Nip47Fields.optText(n, "description"),
                Nip47Fields.optText(n, "description_hash"), Nip47Fields.optText(n, "preimage"),
                Nip47Fields.hex32(n, "payment_hash"), Nip47Fields.requiredLong(n, "amount"),
                Nip47Fields.optLong(n, "fees_paid"), Nip47Fields.requiredLong(n, "created_at"),
                Nip47Fields.optLong(n, "expires_at"), Nip47Fields.optLong(n, "settled_at"));
    }
}
