package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.Json;
import org.fedai.nostr.UnsignedEvent;

/** Kind 24400 codec: {@link Heartbeat} <-> event. Pure. */
public final class HeartbeatCodec {

    static final int MIN_INTERVAL = 5;
    static final int MAX_INTERVAL = 600;
    /** A heartbeat is about now; an old one replayed must not revive a dead node. */
    public static final long MAX_CLOCK_SKEW_SECONDS = 300;

    private HeartbeatCodec() {
    }

    public static UnsignedEvent encode(Heartbeat h, long createdAt) {
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("a", h.address()));
        String content = Json.MAPPER.createObjectNode().put("active_jobs", h.activeJobs())
                .put("queued_jobs", h.queuedJobs()).put("load", h.load()).put("interval_s", h.intervalSeconds())
                .toString();
        return new UnsignedEvent(createdAt, FedaiKind.HEARTBEAT.number(), tags, content);
    }

    public static Decoded<Heartbeat> decode(Event event, long now) {
        try {
            CommonTags.check(event, FedaiKind.HEARTBEAT);
            if (Math.abs(event.createdAt() - now) > MAX_CLOCK_SKEW_SECONDS) {
                throw new InvalidContentException(Rejection.Reason.STALE,
                        "created_at " + event.createdAt() + " is more than " + MAX_CLOCK_SKEW_SECONDS + " s from now");
            }
            String address = CommonTags.required(event, "a");
            String[] parts = address.split(":", 3);
            if (parts.length != 3 || !(parts[0].equals("31400") || parts[0].equals("31401"))
                    || !parts[1].equals(event.pubkey())) {
                throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG,
                        "a must be 31400:<signer>:<d> or 31401:<signer>:<d>");
            }
            JsonNode root = JsonFields.parseObject(event.content());
            long active = JsonFields.nonNegativeLong(root, "active_jobs");
            long queued = JsonFields.nonNegativeLong(root, "queued_jobs");
            double load = JsonFields.number(root, "load", 0, 1);
            double interval = JsonFields.number(root, "interval_s", MIN_INTERVAL, MAX_INTERVAL);
            return Decoded.accepted(new Heartbeat(address, (int) Math.min(active, Integer.MAX_VALUE),
                    (int) Math.min(queued, Integer.MAX_VALUE), load, (int) interval));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }
}
