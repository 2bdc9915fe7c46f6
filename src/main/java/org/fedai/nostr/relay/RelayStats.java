package org.fedai.nostr.relay;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of what the relay did; safe to read from any thread. */
public final class RelayStats {

    private final LongAdder accepted = new LongAdder();
    private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);
    private final LongAdder connectionsOpened = new LongAdder();
    private final AtomicLong connectionsOpen = new AtomicLong();
    private final LongAdder notices = new LongAdder();
    private final LongAdder droppedOutbound = new LongAdder();
    private final LongAdder slowClientsDisconnected = new LongAdder();
    private final LongAdder expiredPurged = new LongAdder();

    public RelayStats() {
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, new LongAdder());
        }
    }

    void countAccepted() {
        accepted.increment();
    }

    void countRejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    void countConnectionOpened() {
        connectionsOpened.increment();
        connectionsOpen.incrementAndGet();
    }

    void countConnectionClosed() {
        connectionsOpen.decrementAndGet();
    }

    void countNotice() {
        notices.increment();
    }

    void countDroppedOutbound() {
        droppedOutbound.increment();
    }

    void countSlowClientDisconnected() {
        slowClientsDisconnected.increment();
    }

    void countExpiredPurged(int n) {
        expiredPurged.add(n);
    }

    public long accepted() {
        return accepted.sum();
    }

    public long rejected(RejectReason reason) {
        return rejected.get(reason).sum();
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    public long connectionsOpen() {
        return connectionsOpen.get();
    }

    public long notices() {
        return notices.sum();
    }

    public long droppedOutbound() {
        return droppedOutbound.sum();
    }

    public long slowClientsDisconnected() {
        return slowClientsDisconnected.sum();
    }

    public long expiredPurged() {
        return expiredPurged.sum();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("accepted=").append(accepted()).append(" connections=")
                .append(connectionsOpen()).append('/').append(connectionsOpened()).append(" dropped=")
                .append(droppedOutbound());
        rejected.forEach((r, n) -> {
            if (n.sum() > 0) {
                s.append(' ').append(r.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(n.sum());
            }
        });
        return s.toString();
    }
}
