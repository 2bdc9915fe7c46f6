package org.fedai.roles.fl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.nostr.Event;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Rejection;
import org.fedai.roles.common.Counters;

/**
 * Why a federation role refused what it received, in the roles' one {@link Counters}: keyed by the event's kind and
 * the reason code ({@code 4421:duplicate}), as the market roles count, with the last detail of each key. A refusal
 * about no one event (an aborted group, the secure-aggregation machines' own) counts under its reason alone.
 * Refusals are normal and never fatal.
 */
final class RejectionCounts {

    private final Counters counts = new Counters();
    private final Map<String, String> lastDetail = new ConcurrentHashMap<>();

    /** A decoder's refusal of an event of {@code kind}. */
    void count(int kind, Rejection r) {
        count(Counters.key(kind, r.reason().code()), r.detail());
    }

    /** A refusal of {@code about} for {@code code}. */
    void count(Event about, String code, String detail) {
        count(Counters.key(about.kind(), code), detail);
    }

    /** The secure-aggregation state machines' own refusals, about no one event. */
    void count(org.fedai.fl.Rejection r) {
        count(r.reason().name().toLowerCase(java.util.Locale.ROOT), r.detail());
    }

    /** A refusal about no one event, under its reason alone. */
    void count(String code, String detail) {
        counts.increment(code);
        lastDetail.put(code, detail);
    }

    /** The value if accepted; else counts why, under {@code about}'s kind, and returns null. */
    <T> T accept(Event about, Decoded<T> decoded) {
        if (decoded instanceof Decoded.Rejected<T> r) {
            count(about.kind(), r.rejection());
            return null;
        }
        return decoded.orElseThrow();
    }

    /** Every count by key: {@code <kind>:<reason>}, or a bare reason. */
    Map<String, Long> snapshot() {
        return counts.snapshot();
    }

    /** {@code code}'s count over every kind. */
    long get(String code) {
        return counts.byReason(code);
    }

    /** The counts, each with the detail of its last refusal: what a test or a log shows when a count is off. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        snapshot().forEach((key, n) -> out.append(out.length() > 1 ? ", " : "").append(key).append('=').append(n)
                .append(" (last: ").append(lastDetail.getOrDefault(key, "")).append(')'));
        return out.append('}').toString();
    }
}
