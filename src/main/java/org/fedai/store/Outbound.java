package org.fedai.store;

import org.fedai.domain.EventId;
import org.fedai.domain.JobId;

/**
 * A signed event waiting in (or gone from) a role's outbox, in the order it was written: journalled in the same
 * transaction as the transition that made it, published afterwards, and published again after a restart until a
 * relay took it.
 */
public record Outbound(long seq, EventId eventId, JobId jobId, String eventJson) {

    public static Outbound of(EventId eventId, JobId jobId, String eventJson) {
        return new Outbound(0, eventId, jobId, eventJson);
    }
}
