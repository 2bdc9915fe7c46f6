package org.fedai.roles.common;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.fedai.protocol.Decoded;

/**
 * Named counters, the one kind every role keeps: what it refused and why ({@code <kind>:<reason>}, e.g.
 * {@code 4400:replay}, or a bare reason code), and what it did ({@code 4404:sent}). Refusals are normal and never
 * fatal, so they are counted, not thrown; {@code --stats} prints a sorted {@link #snapshot()}.
 */
public final class Counters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

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
