package org.fedai.roles.fl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Rejection;
import org.fedai.roles.common.Counters;

/**
 * Why a role refused what it received, counted by reason code in the roles' one {@link Counters}, with the last
 * detail of each reason: refusals are normal and never fatal.
 */
final class RejectionCounts {

    private final Counters counts = new Counters();
    private final Map<String, String> lastDetail = new ConcurrentHashMap<>();

    void count(Rejection r) {
        count(r.reason().code(), r.detail());
    }

    /** The secure-aggregation state machines' own refusals. */
    void count(org.fedai.fl.Rejection r) {
        count(r.reason().name().toLowerCase(java.util.Locale.ROOT), r.detail());
    }

    void count(String code, String detail) {
        counts.increment(code);
        lastDetail.put(code, detail);
    }

    /** The value if accepted; else counts why and returns null. */
    <T> T accept(Decoded<T> decoded) {
        if (decoded instanceof Decoded.Rejected<T> r) {
            count(r.rejection());
            return null;
        }
        return decoded.orElseThrow();
    }

    Map<String, Long> snapshot() {
        return counts.snapshot();
    }

    long get(String code) {
        return counts.get(code);
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
