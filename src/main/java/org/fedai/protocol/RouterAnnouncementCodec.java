package org.fedai.protocol;

import static org.fedai.protocol.JsonFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.Json;
import org.fedai.nostr.UnsignedEvent;

/** Kind 31401 codec: {@link RouterAnnouncement} <-> event. Pure. */
public final class RouterAnnouncementCodec {

    public static final long MAX_LIFETIME_SECONDS = 24 * 3600;

    private RouterAnnouncementCodec() {
    }

    public static UnsignedEvent encode(RouterAnnouncement a, long createdAt) {
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("d", a.routerId()));
        tags.add(List.of("expiration", Long.toString(a.expiresAt())));
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("software", a.software());
        root.putObject("fee").put("base_msat", a.fee().baseMsat()).put("ppm", a.fee().ppm());
        JsonFields.putPaymentTerms(root, a.payment());
        root.putObject("policy").put("max_job_msat", a.policy().maxJobMsat())
                .put("pow_difficulty", a.policy().powDifficulty())
                .put("max_jobs_per_minute", a.policy().maxJobsPerMinute());
        RouterAnnouncement.Probation p = a.probation();
        ObjectNode probation = root.putObject("probation").put("state", p.state().code())
                .put("completed_jobs", p.completedJobs()).put("required_jobs", p.requiredJobs())
                .put("stake_units", p.stakeUnits()).put("required_stake_units", p.requiredStakeUnits())
                .put("share_ppm", p.sharePpm()).put("max_job_msat", p.maxJobMsat())
                .put("max_input_bytes", p.maxInputBytes());
        if (!p.benchmarksCommitment().isEmpty()) {
            probation.put("benchmarks_commitment", p.benchmarksCommitment());
        }
        JsonFields.putNumberMap(root, "benchmarks", a.benchmarks());
        JsonFields.putTextArray(root, "relays", a.relays());
        return new UnsignedEvent(createdAt, FedaiKind.ROUTER_ANNOUNCEMENT.number(), tags, root.toString());
    }

    public static Decoded<RouterAnnouncement> decode(Event event, long now) {
        try {
            CommonTags.check(event, FedaiKind.ROUTER_ANNOUNCEMENT);
            String routerId = CommonTags.identifier(event);
            long expiresAt = CommonTags.expiration(event, now, MAX_LIFETIME_SECONDS);
            JsonNode root = JsonFields.parseObject(event.content());
            JsonNode fee = JsonFields.object(root, "fee");
            long ppm = JsonFields.nonNegativeLong(fee, "ppm");
            if (ppm > 1_000_000) {
                throw invalid("fee.ppm must be at most 1000000");
            }
            JsonNode policy = JsonFields.object(root, "policy");
            long pow = JsonFields.nonNegativeLong(policy, "pow_difficulty");
            if (pow > 64) {
                throw invalid("policy.pow_difficulty must be at most 64");
            }
            JsonNode probation = JsonFields.object(root, "probation");
            return Decoded.accepted(new RouterAnnouncement(routerId, JsonFields.text(root, "software"),
                    new RouterAnnouncement.Fee(JsonFields.nonNegativeLong(fee, "base_msat"), ppm),
                    JsonFields.paymentTerms(root),
                    new RouterAnnouncement.Policy(JsonFields.nonNegativeLong(policy, "max_job_msat"), (int) pow,
                            JsonFields.nonNegativeInt(policy, "max_jobs_per_minute")),
                    probation(probation),
                    JsonFields.numberMap(root, "benchmarks"),
                    root.has("relays") ? JsonFields.textArray(root, "relays", false) : List.of(), expiresAt));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    /** The terms fields are optional (announcements that predate them state only state and count). */
    private static RouterAnnouncement.Probation probation(JsonNode p) throws InvalidContentException {
        long share = JsonFields.optionalNonNegativeLong(p, "share_ppm", 1_000_000);
        if (share > 1_000_000) {
            throw invalid("probation.share_ppm must be at most 1000000");
        }
        String commitment = "";
        if (p.has("benchmarks_commitment")) {
            commitment = JsonFields.hex32(p, "benchmarks_commitment");
        }
        return new RouterAnnouncement.Probation(
                JsonFields.enumValue(RouterAnnouncement.ProbationState.class, JsonFields.text(p, "state"),
                        "probation state"),
                JsonFields.nonNegativeLong(p, "completed_jobs"), JsonFields.optionalNonNegativeLong(p, "required_jobs", 0),
                JsonFields.optionalNonNegativeLong(p, "stake_units", 0),
                JsonFields.optionalNonNegativeLong(p, "required_stake_units", 0), share,
                JsonFields.optionalNonNegativeLong(p, "max_job_msat", 0),
                JsonFields.optionalNonNegativeLong(p, "max_input_bytes", 0), commitment);
    }
}
