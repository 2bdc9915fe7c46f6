package org.fedai.roles.router;

import org.fedai.domain.PublicKey;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.fedai.nostr.Event;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Heartbeat;
import org.fedai.protocol.HeartbeatCodec;
import org.fedai.roles.common.Counters;
import org.fedai.store.NodeStats;

/**
 * The router's view of the market's nodes. A node is live while its newest manifest (per pubkey and
 * {@code d}) has not expired and it has been heard from within three heartbeat intervals; the manifest's own
 * arrival counts as a first heartbeat at {@link #DEFAULT_INTERVAL_SECONDS}. Both expiries are Caffeine's,
 * driven by the router's clock. Also keeps each node's observed stats, written through to the ledger.
 */
public final class NodeRegistry {

    static final int DEFAULT_INTERVAL_SECONDS = 30;
    static final int MISSED_INTERVALS = 3;

    private record Beat(double load, int intervalSeconds) {
    }

    private final InstantSource clock;
    private final Counters counters;
    private final Cache<String, LiveNode> manifests;
    private final Cache<String, Beat> beats;
    private final Map<PublicKey, NodeStats> stats;
    private final BiConsumer<PublicKey, NodeStats> persist;

    public NodeRegistry(InstantSource clock, Counters counters, Map<PublicKey, NodeStats> initialStats,
            BiConsumer<PublicKey, NodeStats> persist) {
        this.clock = clock;
        this.counters = counters;
        this.stats = new ConcurrentHashMap<>(initialStats);
        this.persist = persist;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.manifests = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
                .expireAfter(new UntilExpiry<LiveNode>(n -> TimeUnit.SECONDS.toMillis(n.manifest().expiresAt())
                        - clock.millis()))
                .build();
        this.beats = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
                .expireAfter(new UntilExpiry<Beat>(b -> TimeUnit.SECONDS.toMillis((long) MISSED_INTERVALS
                        * b.intervalSeconds())))
                .build();
    }

    /** Takes a verified 31400 event; false (and counted) when it does not decode or is older than the one held. */
    public boolean onManifest(Event event) {
        Decoded<CapabilityManifest> decoded = CapabilityManifestCodec.decode(event, nowSeconds());
        if (decoded instanceof Decoded.Rejected<CapabilityManifest> r) {
            counters.increment("31400:" + r.rejection().reason().code());
            return false;
        }
        CapabilityManifest manifest = decoded.orElseThrow();
        String address = event.address();
        boolean[] newer = {false};
        manifests.asMap().compute(address, (k, held) -> {
            if (held != null && held.manifestCreatedAt() >= event.createdAt()) {
                return held;
            }
            newer[0] = true;
            return new LiveNode(PublicKey.of(event.pubkey()), manifest, event.createdAt(), held == null ? 0 : held.load());
        });
        if (!newer[0]) {
            counters.increment("31400:superseded");
            return false;
        }
        Beat held = beats.getIfPresent(address);
        beats.put(address, held == null ? new Beat(0, DEFAULT_INTERVAL_SECONDS) : held);
        return true;
    }

    /** Takes a verified 24400 event for a node manifest; false (and counted) when refused. */
    public boolean onHeartbeat(Event event) {
        Decoded<Heartbeat> decoded = HeartbeatCodec.decode(event, nowSeconds());
        if (decoded instanceof Decoded.Rejected<Heartbeat> r) {
            counters.increment("24400:" + r.rejection().reason().code());
            return false;
        }
        Heartbeat h = decoded.orElseThrow();
        if (!h.address().startsWith("31400:")) {
            return false; // a router's heartbeat: not ours to track here
        }
        beats.put(h.address(), new Beat(h.load(), h.intervalSeconds()));
        manifests.asMap().computeIfPresent(h.address(),
                (k, n) -> new LiveNode(n.pubkey(), n.manifest(), n.manifestCreatedAt(), h.load()));
        return true;
    }

    /** Every live node, in a stable order (by address). */
    public List<LiveNode> live() {
        return manifests.asMap().entrySet().stream()
                .filter(e -> beats.getIfPresent(e.getKey()) != null)
                .sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue).toList();
    }

    /** The newest live manifest of a node key (a key may run several {@code d} nodes). */
    public Optional<LiveNode> node(PublicKey pubkey) {
        return live().stream().filter(n -> n.pubkey().equals(pubkey))
                .max(Comparator.comparingLong(LiveNode::manifestCreatedAt));
    }

    public NodeStats stats(PublicKey pubkey) {
        return stats.getOrDefault(pubkey, NodeStats.NONE);
    }

    public void recordSuccess(PublicKey pubkey, long latencyMs) {
        update(pubkey, s -> s.withSuccess(latencyMs));
    }

    public void recordFailure(PublicKey pubkey) {
        update(pubkey, NodeStats::withFailure);
    }

    public void recordTimeout(PublicKey pubkey) {
        update(pubkey, NodeStats::withTimeout);
    }

    public void recordNonDelivery(PublicKey pubkey) {
        update(pubkey, NodeStats::withNonDelivery);
    }

    /** Every node observed so far, by pubkey (a copy). */
    public Map<PublicKey, NodeStats> allStats() {
        return Map.copyOf(stats);
    }

    private void update(PublicKey pubkey, UnaryOperator<NodeStats> change) {
        NodeStats next = stats.compute(pubkey,
                (k, s) -> change.apply(s == null ? NodeStats.NONE : s));
        persist.accept(pubkey, next);
    }

    private long nowSeconds() {
        return clock.millis() / 1000;
    }

    /** Each entry lives for a duration computed from its value at write time; reads do not extend it. */
    private static final class UntilExpiry<V> implements Expiry<String, V> {
        private final ToLongFunction<V> millisToLive;

        UntilExpiry(ToLongFunction<V> millisToLive) {
            this.millisToLive = millisToLive;
        }

        @Override
        public long expireAfterCreate(String key, V value, long currentTime) {
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, millisToLive.applyAsLong(value)));
        }

        @Override
        public long expireAfterUpdate(String key, V value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, V value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
