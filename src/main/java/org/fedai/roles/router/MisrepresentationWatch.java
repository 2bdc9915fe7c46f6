package org.fedai.roles.router;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.SlashClaim;
import org.fedai.protocol.SlashClaimCodec;
import org.fedai.roles.trust.SlashClaimVerifier;
import org.fedai.roles.trust.SlashVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Misrepresentation slashing (event-kinds/4409-slash-claim.md): the router measures each node's delivered
 * embedding throughput, texts over the milliseconds from its work order going out to the node's metering record
 * coming back, and attests it in its 31403 under {@code embedding_texts_per_s}. Once {@link #MIN_JOBS} jobs of at
 * least {@link #MIN_UNITS} texts are measured and the node's manifest claims more than
 * {@link SlashClaimVerifier#MISREPRESENTATION_FACTOR} times that, the router signs a {@code misrepresentation}
 * claim citing the manifest and that attestation, verifies it as a third party would, and only then publishes it
 * and stops routing to the node.
 *
 * <p>The measured figure includes relay round trips and the node's publishing, so it is a lower bound on the
 * node's compute rate: hence only jobs as large as the profiler's own benchmark batch (32 texts) count, where the
 * fixed overhead is small beside the work, and the claim needs the factor-of-two gap of the spec. Measurements
 * live in memory: a restarted router measures again.
 */
final class MisrepresentationWatch {

    static final String BENCHMARK = "embedding_texts_per_s";
    /** The profiler's embedding benchmark batch: smaller jobs are dominated by per-job overhead. */
    static final long MIN_UNITS = 32;
    static final int MIN_JOBS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(MisrepresentationWatch.class);

    private record Throughput(long units, long millis, int jobs) {
        Throughput plus(long u, long ms) {
            return new Throughput(units + u, millis + ms, jobs + 1);
        }

        double textsPerSecond() {
            return units * 1000.0 / Math.max(1, millis);
        }
    }

    private final RouterContext ctx;
    private final Slashes slashes;
    private final Function<PublicKey, Event> attestNow;
    private final Map<PublicKey, Event> manifests = new ConcurrentHashMap<>();
    private final Map<JobId, Long> orderedAtMs = new ConcurrentHashMap<>();
    private final Map<PublicKey, Throughput> measured = new ConcurrentHashMap<>();
    private final Set<PublicKey> cited = ConcurrentHashMap.newKeySet();

    /** {@code attestNow} publishes a node's 31403 at once and returns it: the evidence a claim cites. */
    MisrepresentationWatch(RouterContext ctx, Slashes slashes, Function<PublicKey, Event> attestNow) {
        this.ctx = ctx;
        this.slashes = slashes;
        this.attestNow = attestNow;
        // a claim cites the node's 31403 as it stands: after a restart too, never attest that node again
        for (String json : ctx.ledger().slashClaimEvents()) {
            try {
                if (SlashClaimCodec.decode(EventJson.parse(json)) instanceof Decoded.Accepted<SlashClaim> a
                        && a.value().reason() == SlashClaim.Reason.MISREPRESENTATION) {
                    cited.add(PublicKey.of(a.value().accused()));
                }
            } catch (org.fedai.nostr.MalformedEventException e) {
                LOG.warn("unreadable slash claim in the ledger, skipped: {}", e.getMessage());
            }
        }
    }

    /** A manifest the registry took: the newest per key is what a claim would cite. */
    void onManifest(Event event) {
        manifests.merge(PublicKey.of(event.pubkey()), event, (held, next) -> next.createdAt() >= held.createdAt() ? next : held);
    }

    /**
     * True once a claim cites this node's 31403: 31403 is addressable, so publishing a newer one would make relays
     * drop the cited one and the claim could no longer be checked. The router stops attesting the node instead.
     */
    boolean cited(PublicKey node) {
        return cited.contains(node);
    }

    void ordered(JobId jobId) {
        orderedAtMs.put(jobId, ctx.nowMs());
    }

    /** The router's measured figures for {@code node}, as its 31403 attests them; empty until enough jobs. */
    Map<String, Double> benchmarks(PublicKey node) {
        Throughput t = measured.get(node);
        if (t == null || t.jobs() < MIN_JOBS) {
            return Map.of();
        }
        return Map.of(BENCHMARK, Math.round(t.textsPerSecond() * 100) / 100.0);
    }

    /** First metering record of an embedding job: measure it, and claim if the manifest overstates. */
    void metered(JobId jobId, PublicKey node, String task, long units) {
        Long at = orderedAtMs.remove(jobId);
        if (at == null || !"embedding".equals(task) || units < MIN_UNITS) {
            return;
        }
        Throughput t = measured.merge(node, new Throughput(units, ctx.nowMs() - at, 1),
                (held, one) -> held.plus(one.units(), one.millis()));
        double claimed = claimed(node);
        if (t.jobs() < MIN_JOBS || slashes.contains(node)
                || !(t.textsPerSecond() * SlashClaimVerifier.MISREPRESENTATION_FACTOR < claimed)) {
            return;
        }
        claim(node, jobId, t, claimed);
    }

    private double claimed(PublicKey node) {
        Event manifest = manifests.get(node);
        if (manifest == null
                || !(CapabilityManifestCodec.decode(manifest, manifest.createdAt()) instanceof Decoded.Accepted<
                        CapabilityManifest> a)) {
            return 0;
        }
        return a.value().benchmarks().getOrDefault(BENCHMARK, 0.0);
    }

    private void claim(PublicKey node, JobId jobId, Throughput t, double claimed) {
        Event manifest = manifests.get(node);
        Event attestation = attestNow.apply(node);
        long now = Math.max(ctx.nowSeconds(), attestation.createdAt()); // evidence may not postdate the claim
        SlashClaim claim = new SlashClaim(node.hex(), SlashClaim.Reason.MISREPRESENTATION,
                List.of(manifest.id(), attestation.id()), "", BENCHMARK, "manifest claims " + claimed
                        + " texts/s; measured " + benchmarks(node).get(BENCHMARK) + " over " + t.jobs() + " jobs");
        Event signed = ctx.sign(SlashClaimCodec.encode(claim, now));
        switch (SlashClaimVerifier.verify(signed, List.of(manifest, attestation), now)) {
            case SlashVerdict.Invalid invalid -> {
                ctx.activity().increment("4409:withheld_" + invalid.refusal().code());
                LOG.info("node {}: no misrepresentation claim: {} ({})", node, invalid.refusal().code(),
                        invalid.detail());
            }
            case SlashVerdict.Valid valid -> {
                // keyed by the job that completed the measurement: the ledger's slashes are per job
                ctx.ledger().recordSlash(jobId, node, EventId.of(signed.id()), EventJson.toJson(signed), now);
                cited.add(node);
                slashes.slashed(valid);
                ctx.publish(signed);
                ctx.activity().increment("4409:sent");
                LOG.warn("node {} claims {} {} but delivered {}; slash claim {}", node, claimed, BENCHMARK,
                        benchmarks(node).get(BENCHMARK), signed.id());
            }
        }
    }
}
