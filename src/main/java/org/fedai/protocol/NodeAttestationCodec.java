package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;
import org.fedai.nostr.UnsignedEvent;

/** Kind 31403 codec: {@link NodeAttestation} <-> event. Pure. */
public final class NodeAttestationCodec {

    public static final long MAX_LIFETIME_SECONDS = 7L * 24 * 3600;

    private NodeAttestationCodec() {
    }

    public static UnsignedEvent encode(NodeAttestation a, long createdAt) {
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("d", a.node()));
        tags.add(1, List.of("p", a.node()));
        tags.add(List.of("expiration", Long.toString(a.expiresAt())));
        ObjectNode root = Json.MAPPER.createObjectNode().put("ewma_latency_ms", a.ewmaLatencyMs())
                .put("success_rate", a.successRate()).put("timeouts", a.timeouts())
                .put("jobs_observed", a.jobsObserved()).put("routing_weight", a.routingWeight());
        JsonFields.putNumberMap(root, "benchmarks", a.benchmarks());
        return new UnsignedEvent(createdAt, FedaiKind.NODE_ATTESTATION.number(), tags, root.toString());
    }

    public static Decoded<NodeAttestation> decode(Event event, long now) {
        try {
            CommonTags.check(event, FedaiKind.NODE_ATTESTATION);
            String node = CommonTags.required(event, "d");
            if (!Hex.isLowerHex(node, 32)) {
                throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG, "d must be the node's pubkey");
            }
            if (!node.equals(CommonTags.required(event, "p"))) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "p differs from d");
            }
            long expiresAt = CommonTags.expiration(event, now, MAX_LIFETIME_SECONDS);
            JsonNode root = JsonFields.parseObject(event.content());
            long timeouts = JsonFields.nonNegativeLong(root, "timeouts");
            long jobs = JsonFields.nonNegativeLong(root, "jobs_observed");
            if (timeouts > jobs) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "more timeouts than jobs observed");
            }
            return Decoded.accepted(new NodeAttestation(node,
                    JsonFields.number(root, "ewma_latency_ms", 0, Double.MAX_VALUE),
                    JsonFields.number(root, "success_rate", 0, 1), timeouts, jobs,
                    JsonFields.number(root, "routing_weight", 0, 1), JsonFields.numberMap(root, "benchmarks"),
                    expiresAt));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }
}
