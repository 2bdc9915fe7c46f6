package org.fedai.store;

import java.util.List;

/** A node's metering record appended to the router's ledger under {@code seq}, with the receipt that answered it. */
public record MeteringEntry(long seq, String recordId, String jobId, String node, String client, long units,
        long priceMsat, List<String> paymentHashes, String receiptId, long recordedAt) {

    public MeteringEntry {
        paymentHashes = List.copyOf(paymentHashes);
    }
}
