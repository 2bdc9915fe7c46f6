package org.fedai.protocol;

import java.util.List;
import org.fedai.domain.PaymentTiming;

/**
 * Kind 4404 (event-kinds/4404-work-order.md): the router authorises a node to run a job, because payment
 * verified ({@link Authorization#PAID}, with the verified payment hashes) or deferred terms apply (pay after
 * work, a hold invoice the node's own wallet must show held, or an atomic locked result), or the quote was
 * free ({@link Authorization#FREE}: zero price and fee, never with payment hashes).
 */
public record WorkOrder(String jobId, String quoteId, String client, Authorization authorization,
        List<String> paymentHashes, long deliverBy) {

    public WorkOrder {
        paymentHashes = List.copyOf(paymentHashes);
    }

    public enum Authorization {
        PAID, PAY_AFTER, HOLD, ATOMIC, PARTIAL, FREE;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The one authorization a quote's timing allows: a node refuses any other as inconsistent. */
        public static Authorization forTiming(PaymentTiming timing) {
            return switch (timing) {
                case BEFORE, EXTERNAL -> PAID;
                case AFTER -> PAY_AFTER;
                case HOLD -> HOLD;
                case ATOMIC -> ATOMIC;
                case PARTIAL -> PARTIAL;
                case FREE -> FREE;
            };
        }
    }
}
