package org.fedai.store;

/**
 * One quote as the router journaled it before sending: the node's price and Lightning key (from its manifest
 * at quoting time, so a proof can be checked after the manifest changes), the fee invoice's payment hash and
 * the deadlines. {@code quoteId} is the id of the client's copy; {@code nodeCopyId} that of the node's.
 */
public record RouterQuoteRow(String quoteId, String nodeCopyId, String jobId, String client, String node,
        String fallback, String nodeLightningPubkey, String nodeNetwork, long nodePriceMsat, long feeMsat,
        String feeInvoice, String feePaymentHash, String timing, long acceptBy, long deliverBy, long expiresAt,
        long createdAtMs) {
}
