package org.fedai.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;

/** The checks every fedai event passes before its kind's own rules (event-kinds/README.md). */
final class CommonTags {

    static final String PROTOCOL_VERSION = "1";
    static final int MAX_EVENT_BYTES = 60 * 1024;

    private CommonTags() {
    }

    /** The tags every fedai event carries, to which a codec appends its own. */
    static List<List<String>> base() {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("t", "fedai"));
        tags.add(List.of("v", PROTOCOL_VERSION));
        return tags;
    }

    static void check(Event event, FedaiKind expected) throws InvalidContentException {
        if (event.kind() != expected.number()) {
            throw new InvalidContentException(Rejection.Reason.WRONG_KIND,
                    "expected kind " + expected.number() + ", got " + event.kind());
        }
        String version = event.firstTagValue("v").orElseThrow(
                () -> new InvalidContentException(Rejection.Reason.MISSING_TAG, "no v tag"));
        if (!version.equals(PROTOCOL_VERSION)) {
            throw new InvalidContentException(Rejection.Reason.UNSUPPORTED_VERSION, "protocol version " + version);
        }
        // content dominates the size; tags are bounded by the relay's own limits
        if (event.content().getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
            throw new InvalidContentException(Rejection.Reason.TOO_LARGE, "content over " + MAX_EVENT_BYTES + " bytes");
        }
    }

    static String required(Event event, String name) throws InvalidContentException {
        return event.firstTagValue(name).orElseThrow(
                () -> new InvalidContentException(Rejection.Reason.MISSING_TAG, "no " + name + " tag"));
    }

    private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile("[a-z0-9._-]{1,64}");

    /** The {@code d} tag of an addressable fedai event: 1..64 chars of [a-z0-9._-]. */
    static String identifier(Event event) throws InvalidContentException {
        String d = required(event, "d");
        if (!IDENTIFIER.matcher(d).matches()) {
            throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG, "d must match " + IDENTIFIER);
        }
        return d;
    }

    /** NIP-40: the expiration must exist, lie in the future, and not further than {@code maxAheadSeconds}. */
    static long expiration(Event event, long now, long maxAheadSeconds) throws InvalidContentException {
        String raw = required(event, "expiration");
        long at;
        try {
            at = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG, "expiration is not an integer");
        }
        if (at <= now) {
            throw new InvalidContentException(Rejection.Reason.EXPIRED, "expired at " + at);
        }
        if (at - now > maxAheadSeconds) {
            throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG,
                    "expiration more than " + maxAheadSeconds + " s ahead");
        }
        return at;
    }
}
