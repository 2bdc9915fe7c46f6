package org.fedai.roles.router;

import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Heartbeat;
import org.fedai.protocol.HeartbeatCodec;
import org.fedai.protocol.PaymentTerms;
import org.fedai.roles.common.Counters;
import org.fedai.store.NodeStats;
import org.junit.jupiter.api.Test;

/** Liveness from manifests and heartbeats on a clock the test moves. */
class NodeRegistryTest {

    private static final String LIGHTNING = "02" + "ab".repeat(32);

    private final AtomicLong seconds = new AtomicLong(1_800_000_000L);
    private final InstantSource clock = () -> Instant.ofEpochSecond(seconds.get());
    private final Counters counters = new Counters();
    private final Map<PublicKey, NodeStats> persisted = new HashMap<>();
    private final NodeRegistry registry = new NodeRegistry(clock, counters, Map.of(), persisted::put);
    private final KeyPair node = KeyPair.generate();

    private Event manifest(long price, long createdAt, long lifetime) {
        CapabilityManifest m = new CapabilityManifest("n1", "fedai/0.1.0", Set.of(CapabilityManifest.Role.INFERENCE),
                List.of(new CapabilityManifest.ModelOffer("m", "embedding", 0)),
                List.of(new CapabilityManifest.Price("m", "text", price, 0)), new CapabilityManifest.Limits(1, 0),
                new PaymentTerms(Set.of(PaymentTiming.BEFORE), LIGHTNING, "regtest"), Map.of(), Map.of(), List.of(),
                seconds.get() + lifetime);
        return EventSigner.sign(CapabilityManifestCodec.encode(m, createdAt), node);
    }

    private Event heartbeat(String address, KeyPair signer, int interval) {
        return EventSigner.sign(HeartbeatCodec.encode(new Heartbeat(address, 1, 0, 0.5, interval), seconds.get()),
                signer);
    }

    @Test
    void aManifestAloneKeepsANodeLiveForThreeDefaultIntervals() {
        assertThat(registry.onManifest(manifest(1000, seconds.get(), 3600))).isTrue();
        assertThat(registry.live()).extracting(LiveNode::pubkey).containsExactly(PublicKey.of(node.publicKey()));
        seconds.addAndGet(3L * NodeRegistry.DEFAULT_INTERVAL_SECONDS + 1);
        assertThat(registry.live()).isEmpty();
    }

    @Test
    void aNodeMissingThreeHeartbeatsIsNotLiveUntilItBeatsAgain() {
        registry.onManifest(manifest(1000, seconds.get(), 3600));
        assertThat(registry.onHeartbeat(heartbeat("31400:" + node.publicKey() + ":n1", node, 10))).isTrue();
        assertThat(registry.live().get(0).load()).isEqualTo(0.5);
        seconds.addAndGet(29);
        assertThat(registry.live()).hasSize(1);
        seconds.addAndGet(2);
        assertThat(registry.live()).isEmpty();
        registry.onHeartbeat(heartbeat("31400:" + node.publicKey() + ":n1", node, 10));
        assertThat(registry.live()).hasSize(1);
    }

    @Test
    void anExpiredManifestTakesTheNodeOffWhateverItsHeartbeats() {
        registry.onManifest(manifest(1000, seconds.get(), 40));
        seconds.addAndGet(25);
        registry.onHeartbeat(heartbeat("31400:" + node.publicKey() + ":n1", node, 600));
        seconds.addAndGet(16);
        assertThat(registry.live()).isEmpty();
    }

    @Test
    void keepsTheNewestManifestPerKeyAndD() {
        long t = seconds.get();
        registry.onManifest(manifest(2000, t, 3600));
        assertThat(registry.onManifest(manifest(1000, t - 10, 3600))).isFalse();
        assertThat(counters.get("31400:superseded")).isEqualTo(1);
        assertThat(registry.node(PublicKey.of(node.publicKey())).orElseThrow().manifest().prices().get(0).msatPerUnit())
                .isEqualTo(2000);
    }

    @Test
    void refusesHeartbeatsForAnotherKeyAndStaleOnes() {
        KeyPair other = KeyPair.generate();
        registry.onManifest(manifest(1000, seconds.get(), 3600));
        assertThat(registry.onHeartbeat(heartbeat("31400:" + node.publicKey() + ":n1", other, 10))).isFalse();
        assertThat(counters.get("24400:malformed_tag")).isEqualTo(1);
        Event old = heartbeat("31400:" + node.publicKey() + ":n1", node, 10);
        seconds.addAndGet(HeartbeatCodec.MAX_CLOCK_SKEW_SECONDS + 1);
        assertThat(registry.onHeartbeat(old)).isFalse();
        assertThat(counters.get("24400:stale")).isEqualTo(1);
    }

    @Test
    void writesObservedStatsThrough() {
        registry.recordSuccess(PublicKey.of(node.publicKey()), 400);
        registry.recordSuccess(PublicKey.of(node.publicKey()), 800);
        registry.recordTimeout(PublicKey.of(node.publicKey()));
        NodeStats s = registry.stats(PublicKey.of(node.publicKey()));
        assertThat(s.ewmaLatencyMs()).isEqualTo(0.3 * 800 + 0.7 * 400);
        assertThat(s.successes()).isEqualTo(2);
        assertThat(s.timeouts()).isEqualTo(1);
        assertThat(persisted.get(PublicKey.of(node.publicKey()))).isEqualTo(s);
    }
}
