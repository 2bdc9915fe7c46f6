package org.fedai.roles.client;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.fedai.protocol.Decoded;

/** What the client refused or had to retry, counted by reason; a role never dies of bad input. */
final class ClientCounters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts {@code reason}; null (nothing refused) is ignored. */
    void count(String reason) {
        if (reason != null) {
            counts.computeIfAbsent(reason, k -> new LongAdder()).increment();
        }
    }

    /** The decoded value, or null with the rejection counted. */
    <T> T accepted(Decoded<T> decoded) {
        return switch (decoded) {
            case Decoded.Accepted<T> a -> a.value();
            case Decoded.Rejected<T> r -> {
                count(r.rejection().reason().code());
                yield null;
            }
        };
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
