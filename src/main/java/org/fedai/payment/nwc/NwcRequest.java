package org.fedai.payment.nwc;

import static org.fedai.payment.nwc.Nip47Fields.optHex32;
import static org.fedai.payment.nwc.Nip47Fields.optInt;
import static org.fedai.payment.nwc.Nip47Fields.optLong;
import static org.fedai.payment.nwc.Nip47Fields.optText;
import static org.fedai.payment.nwc.Nip47Fields.put;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;

/**
 * The decrypted content of a NIP-47 request (kind 23194): {@code {"method": ..., "params": {...}}}.
 * Amounts are millisatoshis; optional fields are null when absent.
 */
public sealed interface NwcRequest {

    NwcMethod method();

    /** Pay a BOLT11 invoice; {@code amountMsat} only for an invoice without an amount. */
    record PayInvoice(String invoice, Long amountMsat) implements NwcRequest {
        public PayInvoice {
            requireText(invoice, "invoice");
        }

        public NwcMethod method() {
            return NwcMethod.PAY_INVOICE;
        }
    }

    record MakeInvoice(long amountMsat, String description, String descriptionHash, Long expirySeconds)
            implements NwcRequest {
        public MakeInvoice {
            requireNonNegative(amountMsat, "amount");
        }

        public NwcMethod method() {
            return NwcMethod.MAKE_INVOICE;
        }
    }

    /** One of {@code paymentHash} or {@code invoice} is required; both may be given. */
    record LookupInvoice(String paymentHash, String invoice) implements NwcRequest {
        public LookupInvoice {
            if (paymentHash == null && invoice == null) {
                throw new Nip47Exception(Nip47Exception.Reason.MISSING_FIELD, "one of payment_hash or invoice is required");
            }
        }

        public NwcMethod method() {
            return NwcMethod.LOOKUP_INVOICE;
        }
    }

    record GetBalance() implements NwcRequest {
        public NwcMethod method() {
            return NwcMethod.GET_BALANCE;
        }
    }

    record GetInfo() implements NwcRequest {
        public NwcMethod method() {
            return NwcMethod.GET_INFO;
        }
    }

    /** All filters optional; {@code type} null means both directions. */
    record ListTransactions(Long from, Long until, Integer limit, Integer offset, Boolean unpaid,
            NwcTransaction.Type type) implements NwcRequest {
        public NwcMethod method() {
            return NwcMethod.LIST_TRANSACTIONS;
        }
    }

    /** A hold invoice locked to a hash the caller chose; it settles only on settle_hold_invoice with the preimage. */
    record MakeHoldInvoice(long amountMsat, String paymentHash, String description, String descriptionHash,
            Long expirySeconds, Integer minCltvExpiryDelta) implements NwcRequest {
        public MakeHoldInvoice {
            requireNonNegative(amountMsat, "amount");
            requireHex32(paymentHash, "payment_hash");
        }

        public NwcMethod method() {
            return NwcMethod.MAKE_HOLD_INVOICE;
        }
    }

    record SettleHoldInvoice(String preimage) implements NwcRequest {
        public SettleHoldInvoice {
            requireHex32(preimage, "preimage");
        }

        public NwcMethod method() {
            return NwcMethod.SETTLE_HOLD_INVOICE;
        }
    }

    record CancelHoldInvoice(String paymentHash) implements NwcRequest {
        public CancelHoldInvoice {
            requireHex32(paymentHash, "payment_hash");
        }

        public NwcMethod method() {
            return NwcMethod.CANCEL_HOLD_INVOICE;
        }
    }

    /** The request's JSON text (before encryption). */
    static String toJson(NwcRequest request) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("method", request.method().wire());
        ObjectNode p = root.putObject("params");
        switch (request) {
            case PayInvoice r -> {
                p.put("invoice", r.invoice());
                put(p, "amount", r.amountMsat());
            }
            case MakeInvoice r -> {
                p.put("amount", r.amountMsat());
                put(p, "description", r.description());
                put(p, "description_hash", r.descriptionHash());
                put(p, "expiry", r.expirySeconds());
            }
            case LookupInvoice r -> {
                put(p, "payment_hash", r.paymentHash());
                put(p, "invoice", r.invoice());
            }
            case GetBalance r -> {
            }
            case GetInfo r -> {
            }
            case ListTransactions r -> {
                put(p, "from", r.from());
                put(p, "until", r.until());
                put(p, "limit", r.limit());
                put(p, "offset", r.offset());
                put(p, "unpaid", r.unpaid());
                put(p, "type", r.type() == null ? null : r.type().wire());
            }
            case MakeHoldInvoice r -> {
                p.put("amount", r.amountMsat());
                p.put("payment_hash", r.paymentHash());
                put(p, "description", r.description());
                put(p, "description_hash", r.descriptionHash());
                put(p, "expiry", r.expirySeconds());
                put(p, "min_cltv_expiry_delta", r.minCltvExpiryDelta());
            }
            case SettleHoldInvoice r -> p.put("preimage", r.preimage());
            case CancelHoldInvoice r -> p.put("payment_hash", r.paymentHash());
        }
        return root.toString();
    }

    /**
     * Parses a request's JSON text. An unknown method throws UNKNOWN_METHOD and bad params throw with the
     * method name attached ({@link Nip47Exception#method()}), so the service can answer each properly.
     */
    static NwcRequest parse(String json) {
        JsonNode root = Nip47Fields.parseObject(json);
        String name = Nip47Fields.text(root, "method");
        NwcMethod method = NwcMethod.fromWire(name).orElseThrow(() -> new Nip47Exception(
                Nip47Exception.Reason.UNKNOWN_METHOD, "unknown method " + name, name));
        try {
            JsonNode p = Nip47Fields.present(root, "params") ? Nip47Fields.object(root, "params")
                    : Json.MAPPER.createObjectNode();
            return switch (method) {
                case PAY_INVOICE -> new PayInvoice(Nip47Fields.text(p, "invoice"), optLong(p, "amount"));
                case MAKE_INVOICE -> new MakeInvoice(Nip47Fields.requiredLong(p, "amount"), optText(p, "description"),
                        optText(p, "description_hash"), optLong(p, "expiry"));
                case LOOKUP_INVOICE -> new LookupInvoice(optHex32(p, "payment_hash"), optText(p, "invoice"));
                case GET_BALANCE -> new GetBalance();
                case GET_INFO -> new GetInfo();
                case LIST_TRANSACTIONS -> new ListTransactions(optLong(p, "from"), optLong(p, "until"),
                        optInt(p, "limit"), optInt(p, "offset"), Nip47Fields.optBoolean(p, "unpaid"), listType(p));
                case MAKE_HOLD_INVOICE -> new MakeHoldInvoice(Nip47Fields.requiredLong(p, "amount"),
                        Nip47Fields.hex32(p, "payment_hash"), optText(p, "description"), optText(p, "description_hash"),
                        optLong(p, "expiry"), optInt(p, "min_cltv_expiry_delta"));
                case SETTLE_HOLD_INVOICE -> new SettleHoldInvoice(Nip47Fields.hex32(p, "preimage"));
                case CANCEL_HOLD_INVOICE -> new CancelHoldInvoice(Nip47Fields.hex32(p, "payment_hash"));
            };
        } catch (Nip47Exception e) {
            throw e.withMethod(name);
        }
    }

    private static NwcTransaction.Type listType(JsonNode p) {
        String type = optText(p, "type");
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "incoming" -> NwcTransaction.Type.INCOMING;
            case "outgoing" -> NwcTransaction.Type.OUTGOING;
            default -> throw Nip47Fields.malformed("type must be incoming or outgoing, got " + type);
        };
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw Nip47Fields.missing(field);
        }
    }

    private static void requireNonNegative(long value, String field) {
        if (value < 0) {
            throw Nip47Fields.malformed(field + " must be a non-negative integer");
        }
    }

    private static void requireHex32(String value, String field) {
        if (!Hex.isLowerHex(value, 32)) {
            throw Nip47Fields.malformed(field + " must be 64 lower-case hex characters");
        }
    }
}
