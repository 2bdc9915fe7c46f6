package org.fedai.store;

import java.util.List;
import java.util.Optional;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;

/**
 * A node's metering record appended to the router's ledger under {@code seq}, with the receipt that answered it (empty
 * until the router countersigned).
 */
public record MeteringEntry(long seq, EventId recordId, JobId jobId, PublicKey node, PublicKey client, long units,
        Msat price, List<String> paymentHashes, Optional<EventId> receiptId, long recordedAt) {

    public MeteringEntry {
        paymentHashes = List.copyOf(paymentHashes);
    }
}
