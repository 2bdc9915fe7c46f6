package org.fedai.roles.client;

import org.fedai.domain.PaymentTiming;

/**
 * Which of the client's payment flows a job's timing takes: the one place the client maps timings to flows, so a
 * new timing is a new line here (and its flow). {@code BEFORE}: pay, prove, then the result ({@link BeforePayment});
 * {@code DEFERRED}: after, hold and atomic, paid on their own terms around the result ({@link DeferredPayment});
 * {@code PARTIAL}: part by part ({@link PartialPayment}); {@code EXTERNAL}: paid outside fedai, proved with the
 * node's reveal ({@link ExternalPayment}); {@code FREE}: nothing to pay.
 */
enum ClientFlow {
    BEFORE, DEFERRED, PARTIAL, EXTERNAL, FREE;

    static ClientFlow of(PaymentTiming timing) {
        return switch (timing) {
            case BEFORE -> BEFORE;
            case AFTER, HOLD, ATOMIC -> DEFERRED;
            case PARTIAL -> PARTIAL;
            case EXTERNAL -> EXTERNAL;
            case FREE -> FREE;
        };
    }
}
