package org.fedai.protocol;

import java.util.List;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;

/**
 * Kind 4404 (event-kinds/4404-work-order.md): the router authorises a node to run a job, because payment
 * verified ({@link WorkAuthorization#PAID}, with the verified payment hashes) or deferred terms apply (pay after
 * work, a hold invoice the node's own wallet must show held, or an atomic locked result), or the quote was
 * free ({@link WorkAuthorization#FREE}: zero price and fee, never with payment hashes).
 */
public record WorkOrder(String jobId, String quoteId, String client, WorkAuthorization authorization,
        List<String> paymentHashes, long deliverBy) {

    public WorkOrder {
        paymentHashes = List.copyOf(paymentHashes);
    }
}
