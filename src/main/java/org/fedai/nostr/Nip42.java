package org.fedai.nostr;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * NIP-42 client authentication to relays (https://github.com/nostr-protocol/nips/blob/master/42.md):
 * the client answers a relay's {@code ["AUTH", <challenge>]} with a signed kind 22242 event carrying
 * {@code ["relay", <url>]} and {@code ["challenge", <challenge>]}; the relay checks it.
 */
public final class Nip42 {

    public static final int KIND = 22242;
    public static final String RELAY_TAG = "relay";
    public static final String CHALLENGE_TAG = "challenge";
    /** NIP-42 suggests "about 10 minutes" for created_at; applied in both directions to absorb clock skew. */
    public static final Duration MAX_AGE = Duration.ofMinutes(10);

    /** The outcome of validating an auth event, with a NIP-01 style machine-readable reason. */
    public enum Check {
        VALID("valid"),
        WRONG_KIND("invalid: auth event must be kind 22242"),
        MISSING_CHALLENGE("invalid: auth event has no challenge tag"),
        CHALLENGE_MISMATCH("invalid: challenge does not match"),
        MISSING_RELAY("invalid: auth event has no relay tag"),
        RELAY_MISMATCH("invalid: relay URL does not match"),
        STALE("invalid: created_at is more than 10 minutes from now"),
        BAD_ID_OR_SIGNATURE("invalid: id or signature does not verify");

        private final String reason;

        Check(String reason) {
            this.reason = reason;
        }

        public boolean valid() {
            return this == VALID;
        }

        public String reason() {
            return reason;
        }
    }

    private Nip42() {
    }

    /** The unsigned kind 22242 event answering {@code challenge} from {@code relayUrl}. */
    public static UnsignedEvent authEvent(String relayUrl, String challenge, long createdAt) {
        return new UnsignedEvent(createdAt, KIND,
                List.of(List.of(RELAY_TAG, relayUrl), List.of(CHALLENGE_TAG, challenge)), "");
    }

    public static Event sign(String relayUrl, String challenge, long createdAt, KeyPair keys) {
        return EventSigner.sign(authEvent(relayUrl, challenge, createdAt), keys);
    }

    /**
     * Relay side: checks kind, challenge, relay URL (normalised: scheme and host case, default
     * port, trailing slash), freshness against {@code nowSeconds}, then id and signature.
     * Cheap checks come first so a flood of junk costs no signature verification.
     */
    public static Check validate(Event event, String expectedChallenge, String relayUrl, long nowSeconds) {
        if (event.kind() != KIND) {
            return Check.WRONG_KIND;
        }
        Optional<String> challenge = event.firstTagValue(CHALLENGE_TAG);
        if (challenge.isEmpty()) {
            return Check.MISSING_CHALLENGE;
        }
        if (!MessageDigest.isEqual(challenge.get().getBytes(StandardCharsets.UTF_8),
                expectedChallenge.getBytes(StandardCharsets.UTF_8))) {
            return Check.CHALLENGE_MISMATCH;
        }
        Optional<String> relay = event.firstTagValue(RELAY_TAG);
        if (relay.isEmpty()) {
            return Check.MISSING_RELAY;
        }
        if (!normalise(relay.get()).equals(normalise(relayUrl))) {
            return Check.RELAY_MISMATCH;
        }
        if (Math.abs(nowSeconds - event.createdAt()) > MAX_AGE.toSeconds()) {
            return Check.STALE;
        }
        return EventVerifier.isValid(event) ? Check.VALID : Check.BAD_ID_OR_SIGNATURE;
    }

    /** Normal form for comparing relay URLs; unparseable input is compared as trimmed text. */
    static String normalise(String url) {
        String trimmed = url.strip();
        try {
            URI uri = new URI(trimmed);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return trimmed;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            if ((scheme.equals("wss") && port == 443) || (scheme.equals("ws") && port == 80)) {
                port = -1;
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port < 0 ? "" : ":" + port) + path
                    + query;
        } catch (URISyntaxException e) {
            return trimmed;
        }
    }
}
