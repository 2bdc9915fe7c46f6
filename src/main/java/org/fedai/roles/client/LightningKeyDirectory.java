package org.fedai.roles.client;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.RouterAnnouncementCodec;

/**
 * The Lightning key each node and router declared in its signed 31400 manifest or 31401 announcement:
 * the only key whose invoices the client will pay on that peer's behalf.
 */
final class LightningKeyDirectory {

    private final Map<String, String> byNostrKey = new ConcurrentHashMap<>();
    private final Map<String, Long> declaredAt = new ConcurrentHashMap<>();
    private final Map<String, Integer> powDifficulty = new ConcurrentHashMap<>();
    private final Map<String, Boolean> graduated = new ConcurrentHashMap<>();
    private final Map<String, Long> answeredShare = new ConcurrentHashMap<>();
    /** What each node's newest manifest offers: the models it prices and the timings it takes. */
    private final Map<String, NodeOffer> offers = new ConcurrentHashMap<>();

    private record NodeOffer(java.util.Set<String> models, java.util.Set<org.fedai.domain.PaymentTiming> timings,
            long declaredAt, long expiresAt) {
    }

    /** Returns the rejection reason, or null when the event was taken. */
    String accept(Event event, long now) {
        String key;
        int pow = 0;
        boolean active = false;
        long share = 1_000_000;
        if (event.kind() == 31400) {
            var d = CapabilityManifestCodec.decode(event, now);
            if (d instanceof Decoded.Rejected<?> r) {
                return r.rejection().reason().code();
            }
            key = d.orElseThrow().payment().lightningPubkey();
            var manifest = d.orElseThrow();
            offers.merge(event.pubkey(), new NodeOffer(manifest.prices().stream()
                    .map(org.fedai.protocol.CapabilityManifest.Price::model).collect(java.util.stream.Collectors.toSet()),
                    java.util.Set.copyOf(manifest.payment().timing()), event.createdAt(), manifest.expiresAt()),
                    (old, fresh) -> fresh.declaredAt() >= old.declaredAt() ? fresh : old);
        } else {
            var d = RouterAnnouncementCodec.decode(event, now);
            if (d instanceof Decoded.Rejected<?> r) {
                return r.rejection().reason().code();
            }
            key = d.orElseThrow().payment().lightningPubkey();
            pow = d.orElseThrow().policy().powDifficulty();
            share = d.orElseThrow().probation().answeredSharePpm();
            active = d.orElseThrow().probation().graduatedUnder(
                    RouterAnnouncement.STANDARD_REQUIRED_JOBS, RouterAnnouncement.STANDARD_REQUIRED_STAKE_UNITS);
        }
        // older copies arriving late from another relay must not roll the key back
        Long previous = declaredAt.get(event.pubkey());
        if (previous == null || previous <= event.createdAt()) {
            declaredAt.put(event.pubkey(), event.createdAt());
            byNostrKey.put(event.pubkey(), key);
            powDifficulty.put(event.pubkey(), pow);
            graduated.put(event.pubkey(), active);
            answeredShare.put(event.pubkey(), share);
        }
        return null;
    }

    /**
     * Follows every manifest and announcement on the pool's relays, waiting up to {@code storedWait} for the
     * ones they hold, so the first quote finds its peers' keys. Rejections go to {@code reject}.
     */
    org.fedai.nostr.pool.Subscription follow(org.fedai.nostr.pool.RelayPort pool, java.util.function.LongSupplier now,
            java.util.function.Consumer<String> reject, java.time.Duration storedWait) throws InterruptedException {
        java.util.concurrent.CountDownLatch stored = new java.util.concurrent.CountDownLatch(1);
        var subscription = pool.subscribe(java.util.List.of(org.fedai.nostr.Filter.builder().kinds(31400, 31401)
                .build()), new org.fedai.nostr.pool.EventListener() {
                    @Override
                    public void onEvent(Event e, String relayUrl) {
                        reject.accept(accept(e, now.getAsLong()));
                    }

                    @Override
                    public void onEose(String relayUrl) {
                        stored.countDown();
                    }
                });
        stored.await(storedWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return subscription;
    }

    /** The NIP-13 difficulty a router asks of job requests from clients it does not know (0: none). */
    int powDifficultyOf(PublicKey router) {
        return powDifficulty.getOrDefault(router.hex(), 0);
    }

    /** The share of specs (ppm) the router's newest announcement says it answers: below 1e6 in probation. */
    long answeredSharePpm(PublicKey router) {
        return answeredShare.getOrDefault(router.hex(), 1_000_000L);
    }

    /** Whether the router's newest announcement shows it graduated under the documented probation standard. */
    boolean graduated(PublicKey router) {
        return graduated.getOrDefault(router.hex(), false);
    }

    /**
     * Nodes the router could choose for {@code spec} as their manifests tell it (the model priced, the timing taken,
     * the spec's allow and deny lists kept, the manifest not expired at {@code now}: a router drops a node whose
     * manifest expired), newest manifest first, at most {@code max}: those the client seals its input for when it sends
     * it with the spec (4400 {@code early_input}).
     */
    java.util.List<String> candidatesFor(org.fedai.protocol.JobRequest.Spec spec, int max, long now) {
        var allow = spec.constraints().allowNodes();
        return offers.entrySet().stream()
                .filter(e -> e.getValue().expiresAt() > now)
                .filter(e -> e.getValue().models().contains(spec.model())
                        && e.getValue().timings().contains(spec.timing())
                        && !spec.constraints().denyNodes().contains(e.getKey())
                        && (allow.isEmpty() || allow.contains(e.getKey())))
                .sorted(java.util.Comparator.comparingLong((Map.Entry<String, NodeOffer> e) -> e.getValue().declaredAt())
                        .reversed())
                .limit(max).map(Map.Entry::getKey).toList();
    }

    /** The Lightning node key (hex) {@code peer} declared, if any. */
    Optional<String> lightningKeyOf(PublicKey peer) {
        return Optional.ofNullable(byNostrKey.get(peer.hex()));
    }
}
