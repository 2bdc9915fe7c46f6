package org.fedai.nostr.relay;

import java.util.List;
import java.util.Set;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventVerifier;

/**
 * The checks an EVENT passes before it reaches the store, cheapest first so that a flood costs little: who may write,
 * how fast, how big, then the signature, then what the content claims. Pure apart from the session's token bucket.
 */
final class EventAdmission {

    private final RelayConfig config;

    EventAdmission(RelayConfig config) {
        this.config = config;
    }

    /** Null when the event may be stored and broadcast. */
    Rejection check(Event event, int messageBytes, ClientSession session, long nowSeconds, long nowNanos) {
        Rejection access = access(session);
        if (access != null) {
            return access;
        }
        RelayLimits limits = config.limits();
        if (!session.bucket.tryTake(nowNanos)) {
            return new Rejection(RejectReason.RATE_LIMITED, "slow down, at most " + limits.eventsPerSecond()
                    + " events per second");
        }
        if (messageBytes > limits.maxMessageBytes()) {
            return new Rejection(RejectReason.TOO_LARGE, "event is larger than " + limits.maxMessageBytes() + " bytes");
        }
        EventCheck check = EventVerifier.check(event);
        if (!check.valid()) {
            return new Rejection(RejectReason.BAD_ID_OR_SIGNATURE, detail(check.reason()));
        }
        if (event.kind() == AuthChallengeCheck.KIND) {
            return new Rejection(RejectReason.AUTH_KIND_AS_EVENT, "kind 22242 is only sent in AUTH");
        }
        for (List<String> tag : event.tags()) {
            for (String value : tag) {
                if (value.length() > limits.maxTagValueLength()) {
                    return new Rejection(RejectReason.TAG_TOO_LONG, "tag value longer than "
                            + limits.maxTagValueLength() + " characters");
                }
            }
        }
        if (event.createdAt() > nowSeconds + limits.maxFutureSeconds()) {
            return new Rejection(RejectReason.CREATED_AT_IN_FUTURE, "created_at is more than "
                    + limits.maxFutureSeconds() + " seconds in the future");
        }
        if (Nip40Expiry.isExpired(event, nowSeconds)) {
            return new Rejection(RejectReason.EXPIRED, "event has expired");
        }
        return null;
    }

    /** NIP-42: with auth required, only authenticated (and, when listed, allowed) pubkeys read or write. */
    Rejection access(ClientSession session) {
        if (!config.authRequired()) {
            return null;
        }
        String pubkey = session.authenticatedPubkey();
        if (pubkey == null) {
            return new Rejection(RejectReason.AUTH_REQUIRED, "this relay requires NIP-42 authentication");
        }
        Set<String> allowed = config.allowedPubkeys();
        if (!allowed.isEmpty() && !allowed.contains(pubkey)) {
            return new Rejection(RejectReason.RESTRICTED, "this pubkey is not allowed on this relay");
        }
        return null;
    }

    private static String detail(String reason) {
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(colon + 1).strip();
    }

    /** UTF-8 length without encoding the string. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
