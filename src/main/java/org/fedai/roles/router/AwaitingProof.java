package org.fedai.roles.router;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.domain.JobId;
import org.fedai.nostr.Event;

/**
 * Metering records that name a payment whose proof has not come yet. Under hold, atomic and partial the node
 * settles, so its paid record can overtake the client's proof: such a record waits here (by job, then by event id)
 * until a proof for the job verifies, and is then looked at again. A node's status that came before its job's quote
 * was journalled (the node's copy goes out before the fee invoice is made) waits here too, until the quote is. In
 * memory: a restarted router sees the records again when it resubscribes.
 */
final class AwaitingProof {

    private final Map<JobId, Map<String, Event>> parked = new ConcurrentHashMap<>();

    void park(JobId jobId, Event record) {
        parked.computeIfAbsent(jobId, k -> new ConcurrentHashMap<>()).put(record.id(), record);
    }

    /** The job's waiting records, removed: the caller looks at each again, and parks those still unproved. */
    Collection<Event> release(JobId jobId) {
        Map<String, Event> records = parked.remove(jobId);
        return records == null ? List.of() : records.values();
    }
}
