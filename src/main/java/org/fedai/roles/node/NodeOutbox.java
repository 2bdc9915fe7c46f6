package org.fedai.roles.node;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.domain.EventId;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.pool.PublishResult;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.Outbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the journal's outbox holds, oldest first, and marks each event once a relay stored it. An
 * event no relay took stays in the outbox and goes out again on the next flush (or after a restart) with the
 * same id, so peers see it once.
 */
final class NodeOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(NodeOutbox.class);

    private final NodeJobJournal journal;
    private final RelayPort pool;
    private final Duration deadline;
    private final Set<EventId> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    NodeOutbox(NodeJobJournal journal, RelayPort pool, Duration deadline) {
        this.journal = journal;
        this.pool = pool;
        this.deadline = deadline;
    }

    void flush() {
        if (closed) {
            return;
        }
        for (Outbound o : journal.unpublished()) {
            if (!inFlight.add(o.eventId())) {
                continue; // still on its way from an earlier flush
            }
            Event event;
            try {
                event = EventJson.parse(o.eventJson());
            } catch (MalformedEventException e) {
                LOG.error("outbox event {} of job {} is unreadable; dropped", o.eventId(), o.jobId(), e);
                journal.markPublished(o.eventId());
                continue;
            }
            pool.publish(event, deadline).whenComplete((result, error) -> {
                inFlight.remove(o.eventId());
                if (closed) {
                    return;
                }
                if (error == null && result.acceptedByAny()) {
                    journal.markPublished(o.eventId());
                } else if (error == null && refusedForGood(result)) {
                    // every relay said no for a reason a retry does not change: stop resending it
                    LOG.warn("event {} of job {} refused by every relay, dropped: {}", o.eventId(), o.jobId(),
                            result.outcomes());
                    journal.markPublished(o.eventId());
                } else {
                    LOG.debug("event {} of job {} not stored yet: {}", o.eventId(), o.jobId(),
                            error != null ? error.toString() : result.outcomes());
                }
            });
        }
    }

    /** True when every relay rejected the event, none for rate limiting or missing auth (which may pass later). */
    static boolean refusedForGood(PublishResult result) {
        return !result.outcomes().isEmpty() && result.outcomes().values().stream().allMatch(o ->
                o instanceof PublishResult.Outcome.Rejected r && !r.prefix().equals("rate-limited")
                        && !r.prefix().equals("auth-required") && !r.prefix().equals("error"));
    }

    /**
     * Events not worth a journal entry: ephemeral stream chunks, and external reveals, which the next sweep derives
     * and sends again if this one is lost. Sent once, not retried.
     */
    void sendUnjournalled(Event event) {
        if (!closed) {
            pool.publish(event, deadline);
        }
    }

    void close() {
        closed = true;
    }
}
