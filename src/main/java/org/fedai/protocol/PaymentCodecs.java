package org.fedai.protocol;

import static org.fedai.protocol.JsonFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;

/**
 * Codecs of the three sealed payment steps: 4402 invoice (node -> client), 4403 payment proof
 * (client -> router) and 4404 work order (router -> node). They share one envelope: {@code p} recipient,
 * {@code e} job, NIP-44 content whose {@code job} must equal the {@code e} tag.
 */
public final class PaymentCodecs {

    public static final long MAX_INVOICE_LIFETIME_SECONDS = 24 * 3600;
    public static final int MAX_PROOFS = 16;

    private PaymentCodecs() {
    }

    public static UnsignedEvent encodeInvoice(Invoice invoice, KeyPair node, String client, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("job", invoice.jobId()).put("bolt11", invoice.bolt11())
                .put("amount_msat", invoice.amountMsat()).put("part", invoice.part()).put("parts", invoice.parts());
        if (invoice.settled()) {
            root.put("preimage", invoice.preimage());
        }
        return SealedContent.jobEvent(FedaiKind.INVOICE, invoice.jobId(), root, node, client, createdAt, invoice.expiresAt());
    }

    public static Decoded<Invoice> decodeInvoice(Event event, KeyPair client, long now) {
        try {
            CommonTags.check(event, FedaiKind.INVOICE);
            long expiresAt = CommonTags.expiration(event, now, MAX_INVOICE_LIFETIME_SECONDS);
            JsonNode root = SealedContent.openJob(event, client);
            int parts = JsonFields.nonNegativeInt(root, "parts");
            int part = JsonFields.nonNegativeInt(root, "part");
            if (parts < 1 || part < 1 || part > parts) {
                throw invalid("part must be in 1..parts");
            }
            String bolt11 = JsonFields.text(root, "bolt11");
            if (!bolt11.toLowerCase(java.util.Locale.ROOT).startsWith("ln")) {
                throw invalid("bolt11 is not a Lightning invoice");
            }
            if (root.path("spare").asBoolean(false)) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "a spare invoice is for a router");
            }
            String preimage = root.hasNonNull("preimage") ? root.get("preimage").asText() : "";
            if (!preimage.isEmpty() && !preimage.matches("[0-9a-f]{64}")) {
                throw invalid("preimage must be 64 lower-case hex digits");
            }
            return Decoded.accepted(new Invoice(root.get("job").asText(), bolt11,
                    JsonFields.nonNegativeLong(root, "amount_msat"), part, parts, expiresAt, preimage));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    /** A spare invoice, sealed to the router that may quote it (its {@code e}: the job it was made on). */
    public static UnsignedEvent encodeSpare(SpareInvoice spare, KeyPair node, String router, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("job", spare.madeOnJob()).put("bolt11", spare.bolt11())
                .put("amount_msat", spare.amountMsat()).put("part", 1).put("parts", 1).put("spare", true);
        if (spare.hold()) {
            root.put("hold", true);
        }
        return SealedContent.jobEvent(FedaiKind.INVOICE, spare.madeOnJob(), root, node, router, createdAt,
                spare.expiresAt());
    }

    /** A 4402 that says {@code spare}; any other 4402 is refused ({@code inconsistent}): it is for a client. */
    public static Decoded<SpareInvoice> decodeSpare(Event event, KeyPair router, long now) {
        try {
            CommonTags.check(event, FedaiKind.INVOICE);
            long expiresAt = CommonTags.expiration(event, now, MAX_INVOICE_LIFETIME_SECONDS);
            JsonNode root = SealedContent.openJob(event, router);
            if (!root.path("spare").asBoolean(false)) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "not a spare invoice");
            }
            if (JsonFields.nonNegativeInt(root, "parts") != 1 || JsonFields.nonNegativeInt(root, "part") != 1) {
                throw invalid("a spare invoice is one part of one");
            }
            String bolt11 = JsonFields.text(root, "bolt11");
            if (!bolt11.toLowerCase(java.util.Locale.ROOT).startsWith("ln")) {
                throw invalid("bolt11 is not a Lightning invoice");
            }
            long amount = JsonFields.nonNegativeLong(root, "amount_msat");
            if (amount == 0) {
                throw invalid("a spare invoice asks an amount");
            }
            JsonNode hold = root.path("hold");
            if (!hold.isMissingNode() && !hold.isBoolean()) {
                throw invalid("hold is true or false");
            }
            return Decoded.accepted(new SpareInvoice(root.get("job").asText(), bolt11, amount, expiresAt,
                    hold.asBoolean(false)));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    public static UnsignedEvent encodeProof(PaymentProof proof, KeyPair client, String router, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("job", proof.jobId());
        ArrayNode paid = root.putArray("paid");
        proof.paid().forEach(p -> paid.addObject().put("bolt11", p.bolt11()).put("preimage", p.preimage()));
        return SealedContent.jobEvent(FedaiKind.PAYMENT_PROOF, proof.jobId(), root, client, router, createdAt,
                MarketLifetimes.expiresAt(createdAt, MarketLifetimes.PROOF));
    }

    public static Decoded<PaymentProof> decodeProof(Event event, KeyPair router, long now) {
        try {
            CommonTags.check(event, FedaiKind.PAYMENT_PROOF);
            JsonNode root = SealedContent.openJob(event, router);
            List<JsonNode> items = JsonFields.array(root, "paid", true);
            if (items.size() > MAX_PROOFS) {
                throw new InvalidContentException(Rejection.Reason.TOO_LARGE, "more than " + MAX_PROOFS + " proofs");
            }
            List<PaymentProof.Paid> paid = new ArrayList<>();
            for (JsonNode item : items) {
                paid.add(new PaymentProof.Paid(JsonFields.text(item, "bolt11"), JsonFields.hex32(item, "preimage")));
            }
            return Decoded.accepted(new PaymentProof(root.get("job").asText(), paid));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    public static UnsignedEvent encodeWorkOrder(WorkOrder order, KeyPair router, String node, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("job", order.jobId()).put("quote", order.quoteId())
                .put("client", order.client()).put("authorization", order.authorization().code())
                .put("deliver_by", order.deliverBy());
        JsonFields.putTextArray(root, "payment_hashes", order.paymentHashes());
        UnsignedEvent sealed = SealedContent.jobEvent(FedaiKind.WORK_ORDER, order.jobId(), root, router, node,
                createdAt, MarketLifetimes.expiresAt(createdAt, MarketLifetimes.EVIDENCE));
        // deliver_by is repeated in public so that anyone can check a non-delivery slash claim (4409)
        List<List<String>> tags = new ArrayList<>(sealed.tags());
        tags.add(List.of("deliver_by", Long.toString(order.deliverBy())));
        return new UnsignedEvent(sealed.createdAt(), sealed.kind(), tags, sealed.content());
    }

    public static Decoded<WorkOrder> decodeWorkOrder(Event event, KeyPair node, long now) {
        try {
            CommonTags.check(event, FedaiKind.WORK_ORDER);
            JsonNode root = SealedContent.openJob(event, node);
            WorkAuthorization authorization = JsonFields.enumValue(WorkAuthorization.class,
                    JsonFields.text(root, "authorization"), "authorization");
            List<String> hashes = new ArrayList<>();
            for (JsonNode h : root.has("payment_hashes") ? JsonFields.array(root, "payment_hashes", false)
                    : List.<JsonNode>of()) {
                if (!h.isTextual() || !org.fedai.nostr.Hex.isLowerHex(h.asText(), 32)) {
                    throw invalid("payment_hashes must hold 64-hex hashes");
                }
                hashes.add(h.asText());
            }
            if (authorization == WorkAuthorization.PAID && hashes.isEmpty()) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "paid without payment hashes");
            }
            if (authorization == WorkAuthorization.FREE && !hashes.isEmpty()) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "free with payment hashes");
            }
            long deliverBy = JsonFields.nonNegativeLong(root, "deliver_by");
            if (!Long.toString(deliverBy).equals(CommonTags.required(event, "deliver_by"))) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "deliver_by differs from its tag");
            }
            if (deliverBy <= now) {
                throw new InvalidContentException(Rejection.Reason.EXPIRED, "deliver_by has passed");
            }
            return Decoded.accepted(new WorkOrder(root.get("job").asText(), JsonFields.hex32(root, "quote"),
                    JsonFields.hex32(root, "client"), authorization, hashes, deliverBy));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }
}
