package org.fedai.payment.nwc;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;

/**
 * What the NWC client and wallet service need from a relay connection, and nothing more: the lead
 * binds it to the relay pool. Implementations may deliver the same event more than once (several
 * relays) and from any thread; both cores de-duplicate and are thread-safe.
 */
public interface NwcTransport {

    /** Publishes to the connection's relays; completes when at least one relay accepted it. */
    CompletableFuture<Void> publish(Event event);

    /** Delivers every event matching {@code filter} until the returned handle is closed. */
    AutoCloseable subscribe(Filter filter, Consumer<Event> onEvent);
}
