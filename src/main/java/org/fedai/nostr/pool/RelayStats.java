package org.fedai.nostr.pool;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** One relay's counters; written from socket and delivery threads, read by {@link RelayPool#health()}. */
final class RelayStats {

    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong malformedFrames = new AtomicLong();
    final AtomicLong notices = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong overflowDrops = new AtomicLong();
    private final Map<String, LongAdder> invalid = new ConcurrentHashMap<>();
    private volatile Duration lastRoundTrip;
    private volatile String lastError = "";

    /** A socket error or failed connection attempt; its message is kept so a user can be told what failed. */
    void error(Exception e) {
        errors.incrementAndGet();
        String message = e.getMessage();
        lastError = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    String lastError() {
        return lastError;
    }

    void invalidEvent(String reason) {
        invalid.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    void roundTrip(long sentNanos) {
        lastRoundTrip = Duration.ofNanos(System.nanoTime() - sentNanos);
    }

    Duration lastRoundTrip() {
        return lastRoundTrip;
    }

    Map<String, Long> invalidSnapshot() {
        Map<String, Long> out = new TreeMap<>();
        invalid.forEach((reason, n) -> out.put(reason, n.sum()));
        return out;
    }
}
