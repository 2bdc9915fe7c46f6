package org.fedai.roles.node;

import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Supplier;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Heartbeat;
import org.fedai.protocol.HeartbeatCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's public face: its 31400 manifest, republished with a fresh expiration at half its lifetime so it
 * never lapses, and 24400 heartbeats carrying the load of its active jobs.
 */
final class NodePresence {

    private static final Logger LOG = LoggerFactory.getLogger(NodePresence.class);

    /** Active and queued jobs, read when each heartbeat goes out. */
    record Load(int active, int queued) {
    }

    private final NodeConfig config;
    private final InstantSource clock;
    private final RelayPort pool;
    private final java.util.function.LongFunction<CapabilityManifest> manifestExpiringAt;
    private final Supplier<Load> load;
    private volatile CapabilityManifest current;

    NodePresence(NodeConfig config, InstantSource clock, RelayPort pool,
            java.util.function.LongFunction<CapabilityManifest> manifestExpiringAt, Supplier<Load> load) {
        this.config = config;
        this.clock = clock;
        this.pool = pool;
        this.manifestExpiringAt = manifestExpiringAt;
        this.load = load;
    }

    /** Half the manifest's lifetime: the refresh period. */
    Duration refreshPeriod() {
        return config.manifestLifetime().dividedBy(2);
    }

    CapabilityManifest current() {
        CapabilityManifest m = current;
        return m != null ? m : manifestExpiringAt.apply(now() + config.manifestLifetime().toSeconds());
    }

    void publishManifest() {
        long now = now();
        CapabilityManifest m = manifestExpiringAt.apply(now + config.manifestLifetime().toSeconds());
        current = m;
        Event event = EventSigner.sign(CapabilityManifestCodec.encode(m, now), config.keys());
        pool.publish(event, config.publishDeadline()).whenComplete((r, e) -> {
            if (e != null || !r.acceptedByAny()) {
                LOG.warn("manifest {} not stored by any relay: {}", event.id(), e != null ? e : r.outcomes());
            }
        });
        publishHandler(m, now);
    }

    /**
     * The NIP-89 handler (31990) for the NIP-90 kinds this node's models serve, so DVM clients find it: the node's
     * price per text, and the router that takes the requests when the node serves one router only.
     */
    private void publishHandler(CapabilityManifest m, long now) {
        java.util.Map<Integer, org.fedai.protocol.nip90.Nip89Handler.Price> pricing = new java.util.TreeMap<>();
        for (CapabilityManifest.Price p : m.prices()) {
            m.models().stream().filter(model -> model.id().equals(p.model())).map(CapabilityManifest.ModelOffer::task)
                    .mapToInt(org.fedai.protocol.nip90.Nip90Kinds::kindOf).filter(k -> k != 0)
                    .forEach(k -> pricing.putIfAbsent(k, new org.fedai.protocol.nip90.Nip89Handler.Price(
                            p.msatPerUnit(), p.unit())));
        }
        if (pricing.isEmpty()) {
            return;
        }
        var handler = new org.fedai.protocol.nip90.Nip89Handler(config.nodeId(), java.util.List.copyOf(
                pricing.keySet()), config.nodeId(), "fedai node: pay its invoice through a fedai router's NIP-90 gateway",
                pricing, config.keys().publicKey(), "");
        pool.publish(EventSigner.sign(org.fedai.protocol.nip90.Nip89HandlerCodec.encode(handler, now), config.keys()),
                config.publishDeadline());
    }

    void publishHeartbeat() {
        Load l = load.get();
        double share = Math.min(1.0, l.active() / (double) config.maxConcurrentJobs());
        String address = "31400:" + config.keys().publicKey() + ":" + config.nodeId();
        Heartbeat beat = new Heartbeat(address, l.active(), l.queued(), share,
                (int) config.heartbeatInterval().toSeconds());
        pool.publish(EventSigner.sign(HeartbeatCodec.encode(beat, now()), config.keys()), config.publishDeadline());
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
