package org.fedai.protocol;

import static org.fedai.protocol.JsonFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;

/** Kind 4401 codec: {@link Quote} <-> NIP-44 sealed event. */
public final class QuoteCodec {

    public static final long MAX_LIFETIME_SECONDS = 3600;

    private QuoteCodec() {
    }

    public static UnsignedEvent encode(Quote q, KeyPair router, String recipientPubkey, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("job", q.jobId()).put("client", q.client())
                .put("node", q.node()).put("fallback", q.fallback()).put("model", q.model()).put("task", q.task())
                .put("input_sha256", q.inputSha256()).put("units", q.units())
                .put("node_price_msat", q.nodePriceMsat()).put("router_fee_msat", q.routerFeeMsat())
                .put("router_fee_invoice", q.routerFeeInvoice()).put("timing", q.timing().code())
                .put("accept_by", q.acceptBy()).put("deliver_by", q.deliverBy());
        if (q.runOnPayment()) {
            root.put("run_on_payment", true); // absent when false: what a quote without it always meant
        }
        if (!q.nodeInvoice().isEmpty()) {
            root.put("node_invoice", q.nodeInvoice());
        }
        if (q.earlyInput() != null) {
            root.putObject("early_input").put("ciphertext", q.earlyInput().ciphertext()).put("key", q.earlyInput().key());
        }
        return SealedContent.jobEvent(FedaiKind.QUOTE, q.jobId(), root, router, recipientPubkey, createdAt,
                q.expiresAt());
    }

    public static Decoded<Quote> decode(Event event, KeyPair recipient, long now) {
        try {
            CommonTags.check(event, FedaiKind.QUOTE);
            long expiresAt = CommonTags.expiration(event, now, MAX_LIFETIME_SECONDS);
            JsonNode root = SealedContent.openJob(event, recipient);
            String job = root.get("job").asText();
            String fallback = root.path("fallback").asText("");
            if (!fallback.isEmpty() && !Hex.isLowerHex(fallback, 32)) {
                throw invalid("fallback must be a 64-hex pubkey or empty");
            }
            long feeMsat = JsonFields.nonNegativeLong(root, "router_fee_msat");
            String feeInvoice = root.path("router_fee_invoice").asText("");
            // the node's copy may go out before the fee invoice is made (the node has no use for it); the client pays it
            if (feeMsat > 0 && feeInvoice.isEmpty() && recipient.publicKey().equals(JsonFields.hex32(root, "client"))) {
                throw invalid("a non-zero router fee needs the router's fee invoice in the client's copy");
            }
            PaymentTiming timing = JsonFields.enumValue(PaymentTiming.class, JsonFields.text(root, "timing"),
                    "payment timing");
            long nodePrice = JsonFields.nonNegativeLong(root, "node_price_msat");
            if ((timing == PaymentTiming.FREE) != (nodePrice == 0 && feeMsat == 0)) {
                // free work has nothing to pay, and anything priced must be paid: never one for the other
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT,
                        "timing free if and only if node price and router fee are both zero");
            }
            if (timing == PaymentTiming.EXTERNAL && feeMsat != 0) {
                // the outside payer pays one invoice, the node's: there is no second payment to carry a fee
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "timing external carries no router fee");
            }
            JsonNode runField = root.get("run_on_payment");
            if (runField != null && !runField.isBoolean()) {
                throw invalid("run_on_payment must be true or false");
            }
            boolean runOnPayment = runField != null && runField.booleanValue();
            if (runOnPayment && timing != PaymentTiming.BEFORE && timing != PaymentTiming.EXTERNAL) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT,
                        "run_on_payment is for timings before and external");
            }
            String nodeInvoice = root.path("node_invoice").asText("");
            if (!nodeInvoice.isEmpty() && !timing.paidBySpare()) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT,
                        "node_invoice is for timings before, after, hold, atomic and external");
            }
            if (!nodeInvoice.isEmpty() && !nodeInvoice.toLowerCase(java.util.Locale.ROOT).startsWith("ln")) {
                throw invalid("node_invoice is not a Lightning invoice");
            }
            EarlyInput.Forwarded earlyInput = null;
            if (root.has("early_input")) {
                JsonNode early = JsonFields.object(root, "early_input");
                earlyInput = new EarlyInput.Forwarded(JsonFields.text(early, "ciphertext"), JsonFields.text(early, "key"));
            }
            long acceptBy = JsonFields.nonNegativeLong(root, "accept_by");
            long deliverBy = JsonFields.nonNegativeLong(root, "deliver_by");
            if (acceptBy > deliverBy) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "accept_by after deliver_by");
            }
            return Decoded.accepted(new Quote(job, JsonFields.hex32(root, "client"), JsonFields.hex32(root, "node"),
                    fallback, JsonFields.text(root, "model"), JsonFields.text(root, "task"),
                    JsonFields.hex32(root, "input_sha256"),
                    JsonFields.nonNegativeLong(root, "units"), nodePrice, feeMsat, feeInvoice, timing,
                    acceptBy, deliverBy, expiresAt, runOnPayment, nodeInvoice, earlyInput));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }
}
