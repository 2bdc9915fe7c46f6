package org.fedai.protocol;

import java.util.List;

/**
 * Kind 4407 (event-kinds/4407-metering-record.md): the node's signed account of one job's work: units,
 * price, the payment hashes it was paid by and the hash of the output it delivered. Public, so that a
 * router's receipt and any later slash claim can cite it.
 */
public record MeteringRecord(String jobId, String client, String router, String model, long units, String unit,
        long priceMsat, List<String> paymentHashes, String outputSha256, long startedAt, long finishedAt) {

    public MeteringRecord {
        paymentHashes = List.copyOf(paymentHashes);
        if (finishedAt < startedAt) {
            throw new IllegalArgumentException("finished before it started");
        }
    }
}
