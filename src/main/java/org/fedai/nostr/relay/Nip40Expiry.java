package org.fedai.nostr.relay;

import java.util.List;
import java.util.OptionalLong;
import org.fedai.nostr.Event;

/**
 * NIP-40: Expiration Timestamp (https://github.com/nostr-protocol/nips/blob/master/40.md), as a relay reads it.
 * An event whose {@code expiration} tag has passed is refused on arrival, no longer served, and purged.
 */
public final class Nip40Expiry {

    public static final String TAG = "expiration";

    private Nip40Expiry() {
    }

    /** The expiration in unix seconds; empty when absent or not a non-negative integer (then it never expires). */
    public static OptionalLong expiration(Event event) {
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2 && tag.get(0).equals(TAG)) {
                try {
                    long at = Long.parseLong(tag.get(1));
                    return at < 0 ? OptionalLong.empty() : OptionalLong.of(at);
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** NIP-40: an event is expired from its expiration second on. */
    public static boolean isExpired(Event event, long nowSeconds) {
        OptionalLong at = expiration(event);
        return at.isPresent() && at.getAsLong() <= nowSeconds;
    }
}
