package org.fedai.roles.fl;

import org.fedai.domain.EventId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.PublishResult;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.store.FlJournal;

/**
 * Signs a role's events, records them in its journal, then publishes them and waits for a relay's OK.
 * Journal first: after a crash the role republishes the recorded events (same ids) instead of signing new
 * ones that could contradict what the relays already hold.
 */
final class FlPublisher {

    private final RelayPort pool;
    private final KeyPair keys;
    private final FlJournal journal;
    private final String task;
    private final Duration timeout;

    FlPublisher(RelayPort pool, KeyPair keys, FlJournal journal, String task, Duration timeout) {
        this.pool = pool;
        this.keys = keys;
        this.journal = journal;
        this.task = task;
        this.timeout = timeout;
    }

    KeyPair keys() {
        return keys;
    }

    List<Event> publish(int round, List<UnsignedEvent> unsigned) {
        List<Event> signed = new ArrayList<>();
        for (UnsignedEvent u : unsigned) {
            Event e = EventSigner.sign(u, keys);
            journal.outbox(task, round, EventId.of(e.id()), EventJson.toJson(e));
            signed.add(e);
        }
        send(signed);
        return signed;
    }

    Event publish(int round, UnsignedEvent unsigned) {
        return publish(round, List.of(unsigned)).getFirst();
    }

    /** Publishes again what the journal holds for the round; true when it held anything. */
    boolean republish(int round) {
        List<Event> events = new ArrayList<>();
        for (String json : journal.outbox(task, round)) {
            try {
                events.add(EventJson.parse(json));
            } catch (MalformedEventException e) {
                throw new IllegalStateException("journal holds an unreadable event: " + e.getMessage(), e);
            }
        }
        send(events);
        return !events.isEmpty();
    }

    private void send(List<Event> events) {
        List<CompletableFuture<PublishResult>> acks = events.stream().map(e -> pool.publish(e, timeout)).toList();
        for (int i = 0; i < acks.size(); i++) {
            try {
                PublishResult r = acks.get(i).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                if (!r.acceptedByAny()) {
                    throw new IllegalStateException("no relay accepted event " + events.get(i).id() + ": " + r.outcomes());
                }
            } catch (TimeoutException | ExecutionException e) {
                throw new IllegalStateException("publishing " + events.get(i).id() + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing", e);
            }
        }
    }
}
