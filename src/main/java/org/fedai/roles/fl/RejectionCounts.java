package org.fedai.roles.fl;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Rejection;

/** Why a role refused what it received, counted by reason code: refusals are normal and never fatal. */
final class RejectionCounts {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, String> lastDetail = new ConcurrentHashMap<>();

    void count(Rejection r) {
        count(r.reason().code(), r.detail());
    }

    /** The secure-aggregation state machines' own refusals. */
    void count(org.fedai.fl.Rejection r) {
        count(r.reason().name().toLowerCase(java.util.Locale.ROOT), r.detail());
    }

    void count(String code, String detail) {
        counts.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
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
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    long get(String code) {
        AtomicLong v = counts.get(code);
        return v == null ? 0 : v.get();
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
