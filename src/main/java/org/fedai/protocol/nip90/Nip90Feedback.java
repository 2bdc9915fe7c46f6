package org.fedai.protocol.nip90;

import java.util.OptionalLong;

/**
 * A 7000 job feedback: the status with its extra information, an amount (and with {@code payment-required} the
 * BOLT11 invoice to pay, "" for none), and content (a partial result, or "").
 */
public record Nip90Feedback(String requestId, String customer, Nip90Status status, String extraInfo,
        OptionalLong amountMsat, String bolt11, String content) {

    public Nip90Feedback {
        extraInfo = extraInfo == null ? "" : extraInfo;
        bolt11 = bolt11 == null ? "" : bolt11;
        content = content == null ? "" : content;
    }
}
