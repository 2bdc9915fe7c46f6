package org.fedai.nostr.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;

/**
 * What a role needs of the relays: subscribe, publish, and which relays they are. {@link RelayPool} is the real one
 * (WebSockets to every relay, reconnects, NIP-42); {@link InMemoryRelay} is one relay in the process, with the same
 * subscription delivery (verification, filtering, dedupe, one serial stream per subscription) and no socket, so a
 * whole market runs in a test in milliseconds.
 */
public interface RelayPort {

    /** Opens a subscription with these filters; stored events first, then EOSE, then live ones. */
    Subscription subscribe(List<Filter> filters, EventListener listener);

    /** Sends the event; the future completes with each relay's answer, or times out at {@code deadline}. */
    CompletableFuture<PublishResult> publish(Event event, Duration deadline);

    List<String> relayUrls();
}
