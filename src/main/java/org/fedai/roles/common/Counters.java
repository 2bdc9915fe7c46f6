package org.fedai.roles.common;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;

/**
 * Named counters, the one kind every role keeps: what it refused and why, keyed by the event's kind and the reason
 * ({@link #count(FedaiKind, String)}, shown {@code <kind>:<reason>}, e.g. {@code 4400:replay}), what it did
 * ({@code 4404:sent}), and the few counts about no event (a bare reason code). Refusals are normal and never fatal,
 * so they are counted, not thrown; {@code --stats} prints a sorted {@link #snapshot()}.
 */
public final class Counters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts {@code reason} about an event of {@code kind}. */
    public void count(FedaiKind kind, String reason) {
        count(kind.number(), reason);
    }

    /** Counts {@code reason} about an event of a kind fedai does not define (NIP-90's 5xxx, 6xxx, 7000). */
    public void count(int kind, String reason) {
        increment(key(kind, reason));
    }

    /** The key a (kind, reason) count is kept and shown under. */
    public static String key(int kind, String reason) {
        return kind + ":" + reason;
    }

    /** {@code reason}'s count over every kind, and without one. */
    public long byReason(String reason) {
        return byReasons().getOrDefault(reason, 0L);
    }

    /** The counts summed by reason, whatever the kind: what a role refused, and why. */
    public Map<String, Long> byReasons() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((key, v) -> out.merge(reasonOf(key), v.sum(), Long::sum));
        return out;
    }

    private static String reasonOf(String key) {
        int colon = key.indexOf(':');
        return colon > 0 && key.chars().limit(colon).allMatch(Character::isDigit) ? key.substring(colon + 1) : key;
    }

    public void increment(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Counts {@code key}; null (nothing to count: a decoder that refused already counted it) is ignored. */
    public void count(String key) {
        if (key != null) {
            increment(key);
        }
    }

    /** The decoded value, or null with the rejection counted under its reason code. */
    public <T> T accepted(Decoded<T> decoded) {
        return switch (decoded) {
            case Decoded.Accepted<T> a -> a.value();
            case Decoded.Rejected<T> r -> {
                increment(r.rejection().reason().code());
                yield null;
            }
        };
    }

    public long get(String key) {
        LongAdder adder = counts.get(key);
        return adder == null ? 0 : adder.sum();
    }

    /** A sorted copy, for logs and the CLI summary. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
