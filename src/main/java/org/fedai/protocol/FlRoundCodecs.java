package org.fedai.protocol;

import static org.fedai.protocol.JsonFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.FlMessage.Enrollment;
import org.fedai.protocol.FlMessage.KeyShare;
import org.fedai.protocol.FlMessage.Member;
import org.fedai.protocol.FlMessage.Roster;
import org.fedai.protocol.FlMessage.Share;
import org.fedai.protocol.FlMessage.UnmaskRequest;
import org.fedai.protocol.FlMessage.UnmaskResponse;

/**
 * Codecs of the secure-aggregation steps of a round: 4420 enrollment, 4421 roster, 4424 key share,
 * 4425 unmask request, 4426 unmask response. All share {@link FlEnvelope}.
 */
public final class FlRoundCodecs {

    public static final int MAX_MEMBERS = 1024;

    private FlRoundCodecs() {
    }

    public static UnsignedEvent encodeEnrollment(Enrollment e, FlContext ctx, String aggregator, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("participant", e.participant())
                .put("cipher_public_key", e.cipherPublicKey()).put("mask_public_key", e.maskPublicKey());
        return FlEnvelope.event(FedaiKind.FL_ENROLLMENT, ctx, root, aggregator, null, createdAt);
    }

    public static Decoded<Enrollment> decodeEnrollment(Event event, FlContext ctx) {
        try {
            JsonNode root = FlEnvelope.openPlain(event, FedaiKind.FL_ENROLLMENT, ctx);
            Enrollment e = new Enrollment(ctx.round(), FlEnvelope.participant(root, "participant"),
                    JsonFields.hex32(root, "cipher_public_key"), JsonFields.hex32(root, "mask_public_key"));
            checkKeys(e.cipherPublicKey(), e.maskPublicKey(), event.pubkey());
            return Decoded.accepted(e);
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }

    /** Masking keys are fresh per round: reusing the Nostr identity (or one key for both) links rounds. */
    private static void checkKeys(String cipher, String mask, String identity) throws InvalidContentException {
        if (cipher.equals(identity) || mask.equals(identity)) {
            throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "an enrollment key is the Nostr identity key");
        }
        if (cipher.equals(mask)) {
            throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "cipher and mask keys must differ");
        }
    }

    public static UnsignedEvent encodeRoster(Roster r, FlContext ctx, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("group", r.group()).put("threshold", r.threshold());
        ArrayNode members = root.putArray("members");
        r.members().forEach(m -> members.addObject().put("participant", m.participant()).put("pubkey", m.pubkey())
                .put("cipher_public_key", m.cipherPublicKey()).put("mask_public_key", m.maskPublicKey()));
        return FlEnvelope.event(FedaiKind.FL_ROSTER, ctx, root, null, null, createdAt);
    }

    public static Decoded<Roster> decodeRoster(Event event, FlContext ctx) {
        try {
            JsonNode root = FlEnvelope.openPlain(event, FedaiKind.FL_ROSTER, ctx);
            List<JsonNode> items = JsonFields.array(root, "members", true);
            if (items.size() > MAX_MEMBERS) {
                throw new InvalidContentException(Rejection.Reason.TOO_LARGE, "more than " + MAX_MEMBERS + " members");
            }
            List<Member> members = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (JsonNode m : items) {
                Member member = new Member(FlEnvelope.participant(m, "participant"), JsonFields.hex32(m, "pubkey"),
                        JsonFields.hex32(m, "cipher_public_key"), JsonFields.hex32(m, "mask_public_key"));
                checkKeys(member.cipherPublicKey(), member.maskPublicKey(), member.pubkey());
                if (!seen.add(member.participant()) || !seen.add("pubkey:" + member.pubkey())) {
                    throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "a participant or pubkey appears twice");
                }
                members.add(member);
            }
            int threshold = JsonFields.nonNegativeInt(root, "threshold");
            if (threshold < 1 || threshold > members.size()) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "threshold outside 1..members");
            }
            return Decoded.accepted(new Roster(ctx.round(), FlEnvelope.participant(root, "group"), threshold, members));
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }

    public static UnsignedEvent encodeKeyShare(KeyShare s, FlContext ctx, KeyPair author, String recipient, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("from", s.from()).put("to", s.to()).put("nonce", s.nonce())
                .put("ciphertext", s.ciphertext());
        return FlEnvelope.event(FedaiKind.FL_KEY_SHARE, ctx, root, recipient, author, createdAt);
    }

    /**
     * A share travels participant -> aggregator -> neighbour, so its signer is the {@code from}
     * participant or the aggregator (the task's coordinator) relaying it; anyone else is not enrolled.
     */
    public static Decoded<KeyShare> decodeKeyShare(Event event, FlContext ctx, KeyPair recipient, String aggregator) {
        try {
            JsonNode root = FlEnvelope.openSealed(event, FedaiKind.FL_KEY_SHARE, ctx, recipient);
            String from = event.pubkey().equals(aggregator) ? FlEnvelope.participant(root, "from")
                    : FlEnvelope.enrolledSender(event, ctx, root, "from");
            String to = FlEnvelope.participant(root, "to");
            if (from.equals(to)) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "a share addressed to its own sender");
            }
            if (!ctx.enrolled().isEmpty() && !ctx.enrolled().containsKey(to)) {
                throw new InvalidContentException(Rejection.Reason.NOT_ENROLLED, to + " is not enrolled");
            }
            return Decoded.accepted(new KeyShare(ctx.round(), from, to, base64(root, "nonce"), base64(root, "ciphertext")));
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }

    public static UnsignedEvent encodeUnmaskRequest(UnmaskRequest r, FlContext ctx, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("group", r.group());
        JsonFields.putTextArray(root, "survivors", r.survivors());
        JsonFields.putTextArray(root, "dropped", r.dropped());
        return FlEnvelope.event(FedaiKind.FL_UNMASK_REQUEST, ctx, root, null, null, createdAt);
    }

    public static Decoded<UnmaskRequest> decodeUnmaskRequest(Event event, FlContext ctx) {
        try {
            JsonNode root = FlEnvelope.openPlain(event, FedaiKind.FL_UNMASK_REQUEST, ctx);
            List<String> survivors = FlEnvelope.participants(root, "survivors");
            List<String> dropped = FlEnvelope.participants(root, "dropped");
            if (survivors.isEmpty()) {
                throw invalid("survivors must not be empty");
            }
            if (survivors.stream().anyMatch(dropped::contains)) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "a participant both survived and dropped");
            }
            return Decoded.accepted(new UnmaskRequest(ctx.round(), FlEnvelope.participant(root, "group"), survivors, dropped));
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }

    public static UnsignedEvent encodeUnmaskResponse(UnmaskResponse r, FlContext ctx, KeyPair author, String aggregator,
            long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("from", r.from());
        putShares(root.putObject("self_mask_shares"), r.selfMaskShares());
        putShares(root.putObject("mask_key_shares"), r.maskKeyShares());
        return FlEnvelope.event(FedaiKind.FL_UNMASK_RESPONSE, ctx, root, aggregator, author, createdAt);
    }

    public static Decoded<UnmaskResponse> decodeUnmaskResponse(Event event, FlContext ctx, KeyPair aggregator) {
        try {
            JsonNode root = FlEnvelope.openSealed(event, FedaiKind.FL_UNMASK_RESPONSE, ctx, aggregator);
            String from = FlEnvelope.enrolledSender(event, ctx, root, "from");
            Map<String, Share> self = shares(root, "self_mask_shares");
            Map<String, Share> keys = shares(root, "mask_key_shares");
            // revealing both shares of one owner would let the aggregator strip all of its masks
            if (self.keySet().stream().anyMatch(keys::containsKey)) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "both shares revealed for one owner");
            }
            return Decoded.accepted(new UnmaskResponse(ctx.round(), from, self, keys));
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }

    public static UnsignedEvent encodeUnmaskReveal(FlMessage.UnmaskReveal r, FlContext ctx, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("group", r.group());
        JsonFields.putTextArray(root, "survivors", r.survivors());
        JsonFields.putTextArray(root, "dropped", r.dropped());
        JsonFields.putTextMap(root, "self_mask_seeds", new TreeMap<>(r.selfMaskSeeds()));
        JsonFields.putTextMap(root, "mask_keys", new TreeMap<>(r.maskKeys()));
        return FlEnvelope.event(FedaiKind.FL_UNMASK_REVEAL, ctx, root, null, null, createdAt);
    }

    /** Only the aggregator reveals; exactly one seed per survivor and one key per dropped participant. */
    public static Decoded<FlMessage.UnmaskReveal> decodeUnmaskReveal(Event event, FlContext ctx, String aggregator) {
        try {
            JsonNode root = FlEnvelope.openPlain(event, FedaiKind.FL_UNMASK_REVEAL, ctx);
            if (!event.pubkey().equals(aggregator)) {
                throw new InvalidContentException(Rejection.Reason.NOT_ENROLLED, "unmask reveal not signed by the aggregator");
            }
            List<String> survivors = FlEnvelope.participants(root, "survivors");
            List<String> dropped = FlEnvelope.participants(root, "dropped");
            Map<String, String> seeds = JsonFields.textMap(root, "self_mask_seeds");
            Map<String, String> keys = JsonFields.textMap(root, "mask_keys");
            if (survivors.isEmpty() || survivors.stream().anyMatch(dropped::contains)) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "survivors empty or overlapping dropped");
            }
            if (!seeds.keySet().equals(Set.copyOf(survivors)) || !keys.keySet().equals(Set.copyOf(dropped))) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "one seed per survivor, one key per dropped");
            }
            if (!java.util.stream.Stream.concat(seeds.values().stream(), keys.values().stream()).allMatch(v -> Hex.isLowerHex(v, 32))) {
                throw invalid("seeds and keys must be 64 lowercase hex");
            }
            return Decoded.accepted(new FlMessage.UnmaskReveal(ctx.round(), FlEnvelope.participant(root, "group"), survivors,
                    dropped, seeds, keys));
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }

    private static void putShares(ObjectNode node, Map<String, Share> shares) {
        new TreeMap<>(shares).forEach((owner, s) -> node.putObject(owner).put("x", s.x()).put("y", s.y()));
    }

    private static Map<String, Share> shares(JsonNode root, String field) throws InvalidContentException {
        Map<String, Share> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : JsonFields.object(root, field).properties()) {
            if (!FlEnvelope.PARTICIPANT.matcher(e.getKey()).matches()) {
                throw invalid(field + " keys must be participant ids");
            }
            int x = JsonFields.nonNegativeInt(e.getValue(), "x");
            String y = JsonFields.text(e.getValue(), "y");
            if (x < 1 || y.length() > 128 || !Hex.isLowerHex(y, y.length() / 2) || y.length() % 2 != 0) {
                throw invalid(field + "." + e.getKey() + " must have x >= 1 and y in even-length lower hex");
            }
            out.put(e.getKey(), new Share(x, y));
        }
        return out;
    }

    private static String base64(JsonNode root, String field) throws InvalidContentException {
        String value = JsonFields.text(root, field);
        try {
            java.util.Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw invalid(field + " is not base64");
        }
        return value;
    }
}
