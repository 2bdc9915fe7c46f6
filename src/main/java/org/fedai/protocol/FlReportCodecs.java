package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedai.nostr.Event;
import org.fedai.nostr.Json;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.FlMessage.RewardRecord;
import org.fedai.protocol.FlMessage.Score;
import org.fedai.protocol.FlMessage.ValidationReport;

/** Codecs of what a round leaves on record: 4427 validation report and 4429 contribution/reward record. */
public final class FlReportCodecs {

    public static final int MAX_SCORES = 1024;

    private FlReportCodecs() {
    }

    public static UnsignedEvent encodeValidationReport(ValidationReport r, FlContext ctx, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("clip_norm", r.clipNorm());
        ArrayNode scores = root.putArray("scores");
        r.scores().forEach(s -> scores.addObject().put("update", s.update()).put("score", s.score())
                .put("norm", s.norm()).put("norm_ok", s.normOk()));
        JsonFields.putTextMap(root, "excluded", r.excluded());
        return FlEnvelope.event(FedaiKind.FL_VALIDATION_REPORT, ctx, root, null, null, createdAt);
    }

    public static Decoded<ValidationReport> decodeValidationReport(Event event, FlContext ctx) {
        try {
            JsonNode root = FlEnvelope.openPlain(event, FedaiKind.FL_VALIDATION_REPORT, ctx);
            double clip = JsonFields.number(root, "clip_norm", Double.MIN_VALUE, Double.MAX_VALUE);
            List<JsonNode> items = JsonFields.array(root, "scores", false);
            if (items.size() > MAX_SCORES) {
                throw new InvalidContentException(Rejection.Reason.TOO_LARGE, "more than " + MAX_SCORES + " scores");
            }
            List<Score> scores = new ArrayList<>();
            for (JsonNode s : items) {
                JsonNode ok = s.get("norm_ok");
                if (ok == null || !ok.isBoolean()) {
                    throw JsonFields.invalid("norm_ok must be a boolean");
                }
                Score score = new Score(FlEnvelope.participant(s, "update"),
                        JsonFields.number(s, "score", -Double.MAX_VALUE, Double.MAX_VALUE),
                        JsonFields.number(s, "norm", 0, Double.MAX_VALUE), ok.asBoolean());
                // the validator states the bound it checked against: its verdict must follow from it
                if (score.normOk() != (score.norm() <= clip * (1 + 1e-9))) {
                    throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "norm_ok contradicts clip_norm for " + score.update());
                }
                scores.add(score);
            }
            Map<String, String> excluded = JsonFields.textMap(root, "excluded");
            for (String who : excluded.keySet()) {
                if (!FlEnvelope.PARTICIPANT.matcher(who).matches()) {
                    throw JsonFields.invalid("excluded keys must be update ids");
                }
            }
            return Decoded.accepted(new ValidationReport(ctx.round(), clip, scores, excluded));
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }

    public static UnsignedEvent encodeReward(RewardRecord r, FlContext ctx, String participantPubkey, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("participant", r.participant())
                .put("contribution", r.contribution()).put("amount_msat", r.amountMsat())
                .put("checkpoint_sha256", r.checkpointSha256()).put("reason", r.reason());
        return FlEnvelope.event(FedaiKind.FL_REWARD_RECORD, ctx, root, participantPubkey, null, createdAt);
    }

    /** {@code coordinator} is the task's author: only it may state rewards. */
    public static Decoded<RewardRecord> decodeReward(Event event, FlContext ctx, String coordinator) {
        try {
            JsonNode root = FlEnvelope.openPlain(event, FedaiKind.FL_REWARD_RECORD, ctx);
            if (!event.pubkey().equals(coordinator)) {
                throw new InvalidContentException(Rejection.Reason.NOT_ENROLLED, "reward not signed by the coordinator");
            }
            String participant = FlEnvelope.participant(root, "participant");
            if (!ctx.enrolled().isEmpty() && !ctx.enrolled().containsKey(participant)) {
                throw new InvalidContentException(Rejection.Reason.NOT_ENROLLED, participant + " was not enrolled");
            }
            return Decoded.accepted(new RewardRecord(ctx.round(), participant, JsonFields.number(root, "contribution", 0, 1),
                    JsonFields.nonNegativeLong(root, "amount_msat"), JsonFields.hex32(root, "checkpoint_sha256"),
                    JsonFields.text(root, "reason")));
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }
}
