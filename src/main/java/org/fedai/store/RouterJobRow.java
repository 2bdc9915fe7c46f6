package org.fedai.store;

import java.util.Optional;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.PublicKey;

/**
 * A routed job: the spec event as received (kept whole, so a restart can re-decode it and quote a fallback),
 * its state, the quote now in force, and for a metered job the quote-to-metering latency.
 */
public record RouterJobRow(JobId jobId, PublicKey client, String specEventJson, RouterJobState state,
        Optional<EventId> activeQuoteId, long receivedAt, String detail, long latencyMs) {
}
