package org.fedai.protocol;

import static org.fedai.protocol.JsonFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.fedai.nostr.Event;
import org.fedai.nostr.Json;
import org.fedai.nostr.UnsignedEvent;

/** Codec of 31410 federation task: addressable ({@code d} = task id), plain JSON, NIP-40 expiration. */
public final class FederationTaskCodec {

    public static final Set<String> AGGREGATIONS = Set.of("fedavg", "trimmed_mean", "median", "multi_krum", "fltrust");
    public static final Set<String> PRIVACY = Set.of("plain", "secagg");
    public static final long MAX_LIFETIME_SECONDS = 30L * 24 * 3600;

    private FederationTaskCodec() {
    }

    public static UnsignedEvent encode(FederationTask t, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("aggregator", t.aggregator());
        root.putObject("model").put("architecture", t.model().architecture()).put("parameters", t.model().parameters())
                .put("initial_sha256", t.model().initialSha256());
        root.put("rounds", t.rounds()).put("participants_needed", t.participantsNeeded())
                .put("aggregation", t.aggregation()).put("privacy", t.privacy()).put("group_size", t.groupSize())
                .put("clip_norm", t.clipNorm());
        root.putObject("deadlines").put("enroll_s", t.deadlines().enrollSeconds())
                .put("update_s", t.deadlines().updateSeconds()).put("unmask_s", t.deadlines().unmaskSeconds());
        root.putObject("reward").put("policy", t.rewardPolicy()).put("msat_per_round", t.rewardMsatPerRound());
        if (!t.validator().isEmpty()) {
            root.put("validator", t.validator());
        }
        root.putObject("training").put("epochs", t.training().epochs()).put("batch", t.training().batchSize())
                .put("lr", t.training().learningRate()).put("sample_cap", t.training().sampleCap());
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("d", t.id()));
        tags.add(List.of("expiration", Long.toString(t.expiresAt())));
        return new UnsignedEvent(createdAt, FedaiKind.FEDERATION_TASK.number(), tags, root.toString());
    }

    public static Decoded<FederationTask> decode(Event event, long now) {
        try {
            CommonTags.check(event, FedaiKind.FEDERATION_TASK);
            String id = CommonTags.identifier(event);
            long expiresAt = CommonTags.expiration(event, now, MAX_LIFETIME_SECONDS);
            JsonNode root = JsonFields.parseObject(event.content());
            JsonNode m = JsonFields.object(root, "model");
            int parameters = JsonFields.nonNegativeInt(m, "parameters");
            if (parameters < 1) {
                throw invalid("model.parameters must be positive");
            }
            FederationTask.Model model = new FederationTask.Model(JsonFields.text(m, "architecture"), parameters,
                    JsonFields.hex32(m, "initial_sha256"));
            int rounds = JsonFields.nonNegativeInt(root, "rounds");
            int needed = JsonFields.nonNegativeInt(root, "participants_needed");
            String aggregation = JsonFields.text(root, "aggregation");
            String privacy = JsonFields.text(root, "privacy");
            if (rounds < 1 || needed < 2) {
                throw invalid("rounds must be >= 1 and participants_needed >= 2");
            }
            if (!AGGREGATIONS.contains(aggregation) || !PRIVACY.contains(privacy)) {
                throw invalid("aggregation must be one of " + AGGREGATIONS + ", privacy one of " + PRIVACY);
            }
            int groupSize = JsonFields.nonNegativeInt(root, "group_size");
            // a secure group of two would let each member subtract its own input and read the other's
            if (privacy.equals("secagg") && (groupSize < 3 || groupSize > needed)) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "secagg needs 3 <= group_size <= participants_needed");
            }
            double clip = JsonFields.number(root, "clip_norm", Double.MIN_VALUE, Double.MAX_VALUE);
            JsonNode d = JsonFields.object(root, "deadlines");
            FederationTask.Deadlines deadlines = new FederationTask.Deadlines(JsonFields.nonNegativeLong(d, "enroll_s"),
                    JsonFields.nonNegativeLong(d, "update_s"), JsonFields.nonNegativeLong(d, "unmask_s"));
            JsonNode reward = JsonFields.object(root, "reward");
            // both optional: tasks published before they existed stay readable
            String validator = root.has("validator") ? JsonFields.hex32(root, "validator") : "";
            FederationTask.Training training = FederationTask.Training.DEFAULT;
            if (root.has("training")) {
                JsonNode tr = JsonFields.object(root, "training");
                training = new FederationTask.Training(JsonFields.nonNegativeInt(tr, "epochs"),
                        JsonFields.nonNegativeInt(tr, "batch"), JsonFields.number(tr, "lr", Double.MIN_VALUE, 10),
                        JsonFields.nonNegativeInt(tr, "sample_cap"));
                if (training.epochs() < 1 || training.batchSize() < 1 || training.sampleCap() < 1) {
                    throw invalid("training.epochs, batch and sample_cap must be positive");
                }
            }
            return Decoded.accepted(new FederationTask(id, JsonFields.hex32(root, "aggregator"), model, rounds, needed,
                    aggregation, privacy, groupSize, clip, deadlines, JsonFields.text(reward, "policy"),
                    JsonFields.nonNegativeLong(reward, "msat_per_round"), expiresAt, validator, training));
        } catch (InvalidContentException x) {
            return Decoded.rejected(x.reason(), x.getMessage());
        }
    }
}
