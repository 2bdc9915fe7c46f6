package org.fedai.roles.router;

import java.util.function.Consumer;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.roles.common.Counters;
import org.fedai.roles.common.RoleThread;
import org.fedai.store.RouterLedger;

/**
 * What the router's helpers (watches, attestations, presence) share: its configuration, relays, ledger, node
 * registry, thread and activity counters, and a publisher that retries until a relay takes the event. Passed
 * instead of the role, so that no helper reaches into the role or into another helper.
 */
record RouterContext(RouterConfig config, RelayPort pool, RouterLedger ledger, NodeRegistry registry,
        Counters activity, RoleThread thread, Consumer<Event> publisher) {

    Event sign(UnsignedEvent unsigned) {
        return EventSigner.sign(unsigned, config.keys());
    }

    void publish(Event event) {
        publisher.accept(event);
    }

    String publicKey() {
        return config.keys().publicKey();
    }

    long nowSeconds() {
        return config.clock().millis() / 1000;
    }

    long nowMs() {
        return config.clock().millis();
    }

    /** Runs {@code body} on the role's thread; a failure is counted, never fatal. */
    void execute(Runnable body) {
        thread.execute("task", body);
    }

    /** Runs {@code body} on the role's thread after {@code delayMs}. */
    void schedule(Runnable body, long delayMs) {
        thread.schedule("timer", body, delayMs);
    }
}
