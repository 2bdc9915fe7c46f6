package org.fedai.store;

/**
 * A routed job: the spec event as received (kept whole, so a restart can re-decode it and quote a fallback),
 * its state, the quote now in force, and for a metered job the quote-to-metering latency.
 */
public record RouterJobRow(String jobId, String client, String specEventJson, RouterJobState state,
        String activeQuoteId, long receivedAt, String detail, long latencyMs) {
}
