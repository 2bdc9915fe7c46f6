package org.fedai.roles.router;

import org.fedai.domain.PublicKey;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Event;
import org.fedai.protocol.NodeAttestation;
import org.fedai.protocol.NodeAttestationCodec;
import org.fedai.store.NodeStats;

/**
 * Publishes the router's 31403 attestation of each node it has observed (event-kinds/31403-node-attestation.md):
 * all of them every {@link #INTERVAL_SECONDS}, and a node's own soon after each outcome it had, at most once per
 * {@link #MIN_GAP_SECONDS} so a busy node does not flood the relays (the newest replaces the older anyway).
 * Runs on the role's thread.
 */
final class Attestations {

    static final long INTERVAL_SECONDS = 600;
    static final long MIN_GAP_SECONDS = 5;

    private final RouterContext ctx;
    private final Slashes slashes;
    private final MisrepresentationWatch misrepresentation;
    private final Map<PublicKey, Long> lastSentMs = new ConcurrentHashMap<>();
    private final Set<PublicKey> pending = ConcurrentHashMap.newKeySet();
    private final Map<PublicKey, Long> lastCreatedAt = new ConcurrentHashMap<>();

    Attestations(RouterContext ctx, Slashes slashes, MisrepresentationWatch misrepresentation) {
        this.ctx = ctx;
        this.slashes = slashes;
        this.misrepresentation = misrepresentation;
    }

    void publishAll() {
        ctx.registry().allStats().keySet().stream().filter(n -> !misrepresentation.cited(n))
                .forEach(this::publish);
    }

    /** A node's stats changed: attest now, or once the gap since the last attestation has passed. */
    void changed(PublicKey node) {
        long now = ctx.nowMs();
        long wait = lastSentMs.getOrDefault(node, Long.MIN_VALUE / 2) + MIN_GAP_SECONDS * 1000 - now;
        if (misrepresentation.cited(node)) {
            return; // a newer 31403 would replace, on every relay, the one our misrepresentation claim cites
        }
        if (wait <= 0) {
            publish(node);
        } else if (pending.add(node)) {
            ctx.schedule(() -> {
                pending.remove(node);
                if (!misrepresentation.cited(node)) {
                    publish(node);
                }
            }, wait);
        }
    }

    Event publish(PublicKey node) {
        lastSentMs.put(node, ctx.nowMs());
        // 31403 is addressable: of two in one second, relays may keep either (NIP-01 keeps the lower id), and a
        // misrepresentation claim must cite the one that stays. Each is dated after the node's previous one.
        long now = lastCreatedAt.merge(node, ctx.nowSeconds(), (last, wall) -> Math.max(wall, last + 1));
        NodeAttestation a = attestation(node, now);
        Event signed = ctx.sign(NodeAttestationCodec.encode(a, now));
        ctx.publish(signed);
        ctx.activity().increment("31403:sent");
        return signed;
    }

    NodeAttestation attestation(PublicKey node, long now) {
        NodeStats s = ctx.registry().stats(node);
        return new NodeAttestation(node.hex(), s.ewmaLatencyMs(), s.successRate(), s.timeouts() + s.nonDeliveries(),
                s.observations(), routingWeight(node), misrepresentation.benchmarks(node),
                now + Math.min(2 * INTERVAL_SECONDS, TimeUnit.DAYS.toSeconds(7)));
    }

    /**
     * The node's quality relative to the best observed node, in [0, 1]: success rate discounted by latency the
     * way the selection policy weighs it. A slashed node weighs 0: it gets no work from this router.
     */
    private double routingWeight(PublicKey node) {
        if (slashes.contains(node)) {
            return 0;
        }
        double best = ctx.registry().allStats().entrySet().stream().filter(e -> !slashes.contains(e.getKey()))
                .mapToDouble(e -> quality(e.getValue())).max().orElse(0);
        return best <= 0 ? 0 : Math.min(1, quality(ctx.registry().stats(node)) / best);
    }

    private static double quality(NodeStats s) {
        double latency = s.successes() > 0 ? s.ewmaLatencyMs() : DefaultSelectionPolicy.PRIOR_LATENCY_MS;
        return s.successRate() / (1 + latency / DefaultSelectionPolicy.LATENCY_SCALE_MS);
    }
}
