package org.fedai.protocol;

import java.util.Map;
import static org.fedai.protocol.JsonFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;

/** Kind 4400 codec: {@link JobRequest} <-> NIP-44 sealed event. Pure apart from the NIP-44 nonce. */
public final class JobRequestCodec {

    /** Inputs beyond this are refused: sealed and base64-encoded they would pass the 60 KB event limit. */
    public static final int MAX_INPUT_BYTES = 32 * 1024;
    public static final int MAX_TEXTS = 256;
    public static final long MAX_LIFETIME_SECONDS = 3600;

    private JobRequestCodec() {
    }

    public static UnsignedEvent encode(JobRequest request, KeyPair client, String recipientPubkey, long createdAt) {
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("p", recipientPubkey));
        ObjectNode root = Json.MAPPER.createObjectNode();
        switch (request) {
            case JobRequest.Spec s -> {
                root.put("type", "spec").put("model", s.model()).put("task", s.task())
                        .put("input_sha256", s.inputSha256()).put("input_bytes", s.inputBytes())
                        .put("units", s.units()).put("max_price_msat", s.maxPriceMsat())
                        .put("timing", s.timing().code()).put("deliver_by", s.deliverBy());
                if (s.paysQuotedInvoices()) {
                    root.put("pays_quoted_invoices", true); // absent when false: what a spec without it always meant
                }
                if (s.earlyInput() != null) {
                    ObjectNode early = root.putObject("early_input").put("ciphertext", s.earlyInput().ciphertext());
                    JsonFields.putTextMap(early, "keys", s.earlyInput().keys());
                }
                ObjectNode c = root.putObject("constraints");
                JsonFields.putTextArray(c, "allow_nodes", s.constraints().allowNodes().stream().sorted().toList());
                JsonFields.putTextArray(c, "deny_nodes", s.constraints().denyNodes().stream().sorted().toList());
                c.put("locality", s.constraints().locality());
            }
            case JobRequest.Input in -> {
                tags.add(1, List.of("e", in.jobId()));
                root.put("type", "input").put("job", in.jobId());
                JsonFields.putTextArray(root, "texts", in.texts());
                JsonFields.putTextMap(root, "params", in.params());
            }
        }
        tags.add(List.of("expiration", Long.toString(request.expiresAt())));
        return new UnsignedEvent(createdAt, FedaiKind.JOB_REQUEST.number(), tags,
                SealedContent.seal(root.toString(), client, recipientPubkey));
    }

    public static Decoded<JobRequest> decode(Event event, KeyPair recipient, long now) {
        try {
            CommonTags.check(event, FedaiKind.JOB_REQUEST);
            long expiresAt = CommonTags.expiration(event, now, MAX_LIFETIME_SECONDS);
            JsonNode root = SealedContent.open(event, recipient);
            String type = JsonFields.text(root, "type");
            return Decoded.accepted(switch (type) {
                case "spec" -> spec(root, now, expiresAt);
                case "input" -> input(root, event, expiresAt);
                default -> throw invalid("unknown job request type " + type);
            });
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    private static JobRequest.Spec spec(JsonNode root, long now, long expiresAt) throws InvalidContentException {
        String inputSha256 = JsonFields.hex32(root, "input_sha256");
        long inputBytes = JsonFields.nonNegativeLong(root, "input_bytes");
        if (inputBytes > MAX_INPUT_BYTES) {
            throw new InvalidContentException(Rejection.Reason.TOO_LARGE,
                    "input of " + inputBytes + " bytes is over " + MAX_INPUT_BYTES + "; split it into several jobs");
        }
        long units = JsonFields.nonNegativeLong(root, "units");
        if (units == 0) {
            throw invalid("units must be at least 1");
        }
        long deliverBy = JsonFields.nonNegativeLong(root, "deliver_by");
        if (deliverBy <= now) {
            throw new InvalidContentException(Rejection.Reason.EXPIRED, "deliver_by has passed");
        }
        JsonNode c = JsonFields.object(root, "constraints");
        JobRequest.Constraints constraints = new JobRequest.Constraints(
                pubkeys(c, "allow_nodes"), pubkeys(c, "deny_nodes"),
                c.has("locality") ? c.get("locality").asText("") : "");
        long maxPrice = JsonFields.nonNegativeLong(root, "max_price_msat");
        PaymentTiming timing = JsonFields.enumValue(PaymentTiming.class, JsonFields.text(root, "timing"),
                "payment timing");
        if (timing == PaymentTiming.FREE && maxPrice != 0) {
            throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "a free spec has max_price_msat 0");
        }
        JsonNode quoted = root.get("pays_quoted_invoices");
        if (quoted != null && !quoted.isBoolean()) {
            throw invalid("pays_quoted_invoices must be true or false");
        }
        return new JobRequest.Spec(JsonFields.text(root, "model"), JsonFields.text(root, "task"), inputSha256,
                inputBytes, units, maxPrice, constraints, timing, deliverBy, expiresAt,
                quoted != null && quoted.booleanValue(), earlyInput(root, inputBytes));
    }

    /** The spec's optional {@code early_input}: a ciphertext and 1..8 sealed keys, for an input of at most 16 KiB. */
    private static EarlyInput earlyInput(JsonNode root, long inputBytes) throws InvalidContentException {
        if (!root.has("early_input")) {
            return null;
        }
        JsonNode early = JsonFields.object(root, "early_input");
        String ciphertext = JsonFields.text(early, "ciphertext");
        Map<String, String> keys = JsonFields.textMap(early, "keys");
        if (keys.isEmpty() || keys.size() > EarlyInput.MAX_NODES) {
            throw invalid("early_input names 1.." + EarlyInput.MAX_NODES + " nodes");
        }
        for (String node : keys.keySet()) {
            if (!Hex.isLowerHex(node, 32)) {
                throw invalid("early_input keys are 64-hex pubkeys");
            }
        }
        if (inputBytes > EarlyInput.MAX_BYTES) {
            throw new InvalidContentException(Rejection.Reason.TOO_LARGE,
                    "early_input is for inputs of at most " + EarlyInput.MAX_BYTES + " bytes");
        }
        return new EarlyInput(ciphertext, keys);
    }

    private static JobRequest.Input input(JsonNode root, Event event, long expiresAt) throws InvalidContentException {
        String job = JsonFields.hex32(root, "job");
        if (!job.equals(event.firstTagValue("e").orElse(""))) {
            throw invalid("job must be the spec event id, equal to the e tag");
        }
        return inputOf(root, job, expiresAt);
    }

    /** An input's texts and params, within the limits every input keeps (a 4400's, or one sent with its spec). */
    static JobRequest.Input inputOf(JsonNode root, String job, long expiresAt) throws InvalidContentException {
        List<String> texts = JsonFields.textArray(root, "texts", true);
        if (texts.size() > MAX_TEXTS) {
            throw new InvalidContentException(Rejection.Reason.TOO_LARGE, "more than " + MAX_TEXTS + " texts");
        }
        JobRequest.Input input = new JobRequest.Input(job, texts, JsonFields.textMap(root, "params"), expiresAt);
        if (input.bytes() > MAX_INPUT_BYTES) {
            throw new InvalidContentException(Rejection.Reason.TOO_LARGE, "input over " + MAX_INPUT_BYTES + " bytes");
        }
        return input;
    }

    private static java.util.Set<String> pubkeys(JsonNode parent, String field) throws InvalidContentException {
        java.util.Set<String> out = new HashSet<>();
        for (String key : parent.has(field) ? JsonFields.textArray(parent, field, false) : List.<String>of()) {
            if (!Hex.isLowerHex(key, 32)) {
                throw invalid(field + " must hold 64-hex pubkeys");
            }
            out.add(key);
        }
        return out;
    }
}
