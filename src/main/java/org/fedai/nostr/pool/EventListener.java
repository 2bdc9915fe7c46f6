package org.fedai.nostr.pool;

import org.fedai.nostr.Event;

/**
 * Receives a subscription's traffic. Calls for one subscription never overlap and arrive in the order the pool
 * accepted them; they run on the pool's delivery threads, never on a socket thread, so a slow listener only
 * fills its own queue.
 */
public interface EventListener {

    /** A verified event that matches the subscription's filters, the first copy from any relay. */
    void onEvent(Event event, String relayUrl);

    /** The relay has sent everything it had stored (NIP-01 EOSE); later events are live. */
    default void onEose(String relayUrl) {
    }

    /** The relay ended the subscription (NIP-01 CLOSED); {@code reason} keeps its machine-readable prefix. */
    default void onClosed(String relayUrl, String reason) {
    }
}
