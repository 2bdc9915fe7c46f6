package org.fedai.nostr.pool;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.fedai.nostr.KeyPair;

/**
 * How a {@link RelayPool} behaves. Start from {@link #defaults()} and change what you need with the withers.
 *
 * @param authKeys            NIP-42 identity; empty means AUTH challenges are counted and ignored
 * @param reconnectBase       first reconnect delay; doubles per failed attempt
 * @param reconnectMax        cap on the reconnect delay
 * @param resubscribeMargin   how far before the newest event seen a resubscription's {@code since} starts, to cover
 *                            relay clock skew and events stored out of order
 * @param dedupeCapacity      event ids remembered per subscription to suppress copies from other relays
 * @param deliveryQueueCapacity events waiting for one subscription's listener before overflow drops them
 * @param connectionLostTimeout ping interval after which a silent connection is declared dead
 */
public record RelayPoolConfig(Optional<KeyPair> authKeys, Duration reconnectBase, Duration reconnectMax,
        Duration resubscribeMargin, int dedupeCapacity, int deliveryQueueCapacity,
        Duration connectionLostTimeout) {

    public RelayPoolConfig {
        Objects.requireNonNull(authKeys, "authKeys");
        requirePositive(reconnectBase, "reconnectBase");
        requirePositive(reconnectMax, "reconnectMax");
        if (reconnectMax.compareTo(reconnectBase) < 0) {
            throw new IllegalArgumentException("reconnectMax must be >= reconnectBase");
        }
        if (resubscribeMargin.isNegative()) {
            throw new IllegalArgumentException("resubscribeMargin must not be negative");
        }
        if (dedupeCapacity < 1 || deliveryQueueCapacity < 1) {
            throw new IllegalArgumentException("capacities must be positive");
        }
        requirePositive(connectionLostTimeout, "connectionLostTimeout");
    }

    /** 0.5 s to 30 s backoff, 60 s resubscribe margin, 100k ids, 10k queued events, 30 s pings. */
    public static RelayPoolConfig defaults() {
        return new RelayPoolConfig(Optional.empty(), Duration.ofMillis(500), Duration.ofSeconds(30),
                Duration.ofSeconds(60), 100_000, 10_000, Duration.ofSeconds(30));
    }

    public RelayPoolConfig withAuthKeys(KeyPair keys) {
        return new RelayPoolConfig(Optional.of(keys), reconnectBase, reconnectMax, resubscribeMargin, dedupeCapacity,
                deliveryQueueCapacity, connectionLostTimeout);
    }

    public RelayPoolConfig withReconnect(Duration base, Duration max) {
        return new RelayPoolConfig(authKeys, base, max, resubscribeMargin, dedupeCapacity, deliveryQueueCapacity,
                connectionLostTimeout);
    }

    public RelayPoolConfig withResubscribeMargin(Duration margin) {
        return new RelayPoolConfig(authKeys, reconnectBase, reconnectMax, margin, dedupeCapacity,
                deliveryQueueCapacity, connectionLostTimeout);
    }

    public RelayPoolConfig withDedupeCapacity(int capacity) {
        return new RelayPoolConfig(authKeys, reconnectBase, reconnectMax, resubscribeMargin, capacity,
                deliveryQueueCapacity, connectionLostTimeout);
    }

    public RelayPoolConfig withDeliveryQueueCapacity(int capacity) {
        return new RelayPoolConfig(authKeys, reconnectBase, reconnectMax, resubscribeMargin, dedupeCapacity,
                capacity, connectionLostTimeout);
    }

    public RelayPoolConfig withConnectionLostTimeout(Duration timeout) {
        return new RelayPoolConfig(authKeys, reconnectBase, reconnectMax, resubscribeMargin, dedupeCapacity,
                deliveryQueueCapacity, timeout);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
