package org.fedai.nostr.relay;

import java.net.URI;
import java.util.Locale;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventVerifier;

/**
 * NIP-42: Authentication of clients to relays (https://github.com/nostr-protocol/nips/blob/master/42.md), the relay's
 * side: checks a client's kind 22242 answer to this connection's challenge. Returns null when valid, else the reason.
 */
public final class AuthChallengeCheck {

    public static final int KIND = 22242;
    /** NIP-42 suggests about ten minutes of clock slack either way. */
    public static final long MAX_SKEW_SECONDS = 600;

    private AuthChallengeCheck() {
    }

    public static String check(Event auth, String challenge, String relayUrl, long nowSeconds) {
        if (auth.kind() != KIND) {
            return "auth event must be kind " + KIND;
        }
        if (!auth.firstTagValue("challenge").map(challenge::equals).orElse(false)) {
            return "challenge does not match";
        }
        String relay = auth.firstTagValue("relay").orElse(null);
        if (relay == null || !sameRelay(relay, relayUrl)) {
            return "relay tag does not name this relay";
        }
        if (Math.abs(nowSeconds - auth.createdAt()) > MAX_SKEW_SECONDS) {
            return "created_at is more than 10 minutes from now";
        }
        EventCheck sig = EventVerifier.check(auth);
        if (!sig.valid()) {
            return sig.reason().substring(sig.reason().indexOf(':') + 1).strip();
        }
        return null;
    }

    /** Scheme and host compare case-insensitively and a trailing slash is ignored, as clients differ on both. */
    static boolean sameRelay(String claimed, String ours) {
        return normalize(claimed).equals(normalize(ours));
    }

    private static String normalize(String url) {
        try {
            URI u = URI.create(url.strip());
            String path = u.getPath() == null || u.getPath().equals("/") ? "" : u.getPath();
            String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return scheme + "://" + host + ":" + u.getPort() + path;
        } catch (IllegalArgumentException e) {
            return url.strip();
        }
    }
}
