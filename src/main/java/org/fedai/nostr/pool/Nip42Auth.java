package org.fedai.nostr.pool;

import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;

/**
 * NIP-42: Authentication of clients to relays (https://github.com/nostr-protocol/nips/blob/master/42.md).
 * The client side only: answer a relay's challenge with a signed ephemeral kind 22242 event.
 */
public final class Nip42Auth {

    public static final int KIND = 22242;
    /** The OK / CLOSED prefix a relay uses to say "authenticate first". */
    public static final String AUTH_REQUIRED = "auth-required";

    private Nip42Auth() {
    }

    public static Event authEvent(String relayUrl, String challenge, KeyPair keys) {
        UnsignedEvent unsigned = UnsignedEvent.of(KIND, "",
                List.of(List.of("relay", relayUrl), List.of("challenge", challenge)));
        return EventSigner.sign(unsigned, keys);
    }

    /** True when a relay's OK or CLOSED message asks for authentication. */
    public static boolean isAuthRequired(String message) {
        return message != null && message.startsWith(AUTH_REQUIRED + ":");
    }
}
