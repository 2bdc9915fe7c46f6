package org.fedai.protocol;

import java.util.List;

/**
 * Kind 4404 (event-kinds/4404-work-order.md): the router authorises a node to run a job, because payment
 * verified ({@link Authorization#PAID}, with the verified payment hashes), pay-after-work terms apply, or the
 * quote was free ({@link Authorization#FREE}: zero price and fee, never with payment hashes).
 */
public record WorkOrder(String jobId, String quoteId, String client, Authorization authorization,
        List<String> paymentHashes, long deliverBy) {

    public WorkOrder {
        paymentHashes = List.copyOf(paymentHashes);
    }

    public enum Authorization {
        PAID, PAY_AFTER, FREE;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
