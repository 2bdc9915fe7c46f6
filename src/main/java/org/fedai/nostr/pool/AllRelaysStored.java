package org.fedai.nostr.pool;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedai.nostr.Event;

/**
 * An {@link EventListener} that passes every event on and runs {@code onStored} once, when every relay of the
 * subscription has sent what it holds (EOSE, or CLOSED, which ends a relay's part too). For a role that must see
 * the stored events (manifests, a job's results) before it acts on what comes live.
 */
public final class AllRelaysStored implements EventListener {

    private final EventListener inner;
    private final int relays;
    private final Runnable onStored;
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean done = new AtomicBoolean();

    /** @param relays how many relays must answer (at least one is waited for) */
    public AllRelaysStored(EventListener inner, int relays, Runnable onStored) {
        this.inner = inner;
        this.relays = Math.max(1, relays);
        this.onStored = onStored;
    }

    @Override
    public void onEvent(Event event, String relayUrl) {
        inner.onEvent(event, relayUrl);
    }

    @Override
    public void onEose(String relayUrl) {
        if (answered.add(relayUrl) && answered.size() >= relays && done.compareAndSet(false, true)) {
            onStored.run();
        }
    }

    @Override
    public void onClosed(String relayUrl, String reason) {
        onEose(relayUrl);
    }
}
