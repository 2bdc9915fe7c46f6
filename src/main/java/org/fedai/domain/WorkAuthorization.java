package org.fedai.domain;

import java.util.Locale;
import java.util.Optional;

/** Why a router lets a node run a job (4404's {@code authorization}): the one a quote's timing allows. */
public enum WorkAuthorization {
    PAID, PAY_AFTER, HOLD, ATOMIC, PARTIAL, FREE;

    /** The wire code, e.g. {@code pay_after}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WorkAuthorization> ofCode(String code) {
        for (WorkAuthorization a : values()) {
            if (a.code().equals(code)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The one authorization a quote's timing allows: a node refuses any other as inconsistent. */
    public static WorkAuthorization forTiming(PaymentTiming timing) {
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
