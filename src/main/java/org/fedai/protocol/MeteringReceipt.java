package org.fedai.protocol;

/**
 * Kind 4408 (event-kinds/4408-metering-receipt.md): the router countersigns a metering record. The
 * receipt's signature covers the record's id, and so every field of the record.
 */
public record MeteringReceipt(String recordId, String jobId, String node, String client, long units, long priceMsat,
        long ledgerSequence) {
}
