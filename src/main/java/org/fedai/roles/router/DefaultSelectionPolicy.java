package org.fedai.roles.router;

import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.JobRequest;
import org.fedai.roles.trust.StakeView;
import org.fedai.store.NodeStats;

/**
 * Capability first (model and task offered, payment timing and input size supported), then the client's
 * constraints (allow/deny lists, locality band), then price (node price plus router fee within the client's
 * maximum and the router's), and among what is left a score, lower is better:
 *
 * <pre>
 * price / max_price + latency / LATENCY_SCALE + FAILURE_WEIGHT * (1 - success rate) + LOAD_WEIGHT * load
 *   - STAKE_CAP * stake
 * </pre>
 *
 * Latency and success rate are the router's own observations ({@link NodeStats}); an unobserved node is
 * assumed to take {@link #PRIOR_LATENCY_MS}. Stake can shift the score by at most {@link #STAKE_CAP}, less
 * than one failure in a few jobs costs, so it orders good nodes but cannot lift a bad one.
 */
public final class DefaultSelectionPolicy implements SelectionPolicy {

    static final double LATENCY_SCALE_MS = 10_000;
    static final double PRIOR_LATENCY_MS = 2_000;
    static final double FAILURE_WEIGHT = 2.0;
    static final double LOAD_WEIGHT = 0.5;
    static final double STAKE_CAP = 0.1;

    private final PricingPolicy pricing;
    private final Function<PublicKey, NodeStats> stats;
    private final StakeView stake;

    public DefaultSelectionPolicy(PricingPolicy pricing, Function<PublicKey, NodeStats> stats, StakeView stake) {
        this.pricing = pricing;
        this.stats = stats;
        this.stake = stake;
    }

    @Override
    public Selection select(Request request, List<LiveNode> live) {
        JobRequest.Spec spec = request.spec();
        boolean capable = false;
        boolean permitted = false;
        List<Candidate> candidates = new ArrayList<>();
        for (LiveNode node : live) {
            if (request.exclude().contains(node.pubkey()) || node.pubkey().equals(request.client())
                    || !capable(node.manifest(), spec)) {
                continue;
            }
            capable = true;
            if (!spec.constraints().permits(node.pubkey().hex()) || !localityMatches(node, spec)) {
                continue;
            }
            permitted = true;
            Optional<Msat> price = pricing.nodePrice(node.manifest(), spec);
            if (price.isEmpty()) {
                continue;
            }
            Msat fee;
            Msat total;
            try {
                fee = pricing.routerFee(price.get(), spec.timing());
                total = price.get().plus(fee);
            } catch (ArithmeticException beyondAnyMaximum) {
                continue; // a manifest priced near the top of the range: no client's maximum reaches it
            }
            if (total.value() > spec.maxPriceMsat()
                    || (!request.maxJob().isZero() && total.compareTo(request.maxJob()) > 0)) {
                continue;
            }
            candidates.add(new Candidate(node, price.get(), fee, score(node, total, spec)));
        }
        if (!candidates.isEmpty()) {
            candidates.sort(Comparator.comparingDouble(Candidate::score)
                    .thenComparing(Candidate::total).thenComparing(c -> c.node().pubkey().hex()));
            return new Selection(candidates, "");
        }
        return new Selection(List.of(), !capable ? "no_capable_node" : !permitted ? "constraints" : "over_max_price");
    }

    private double score(LiveNode node, Msat total, JobRequest.Spec spec) {
        NodeStats s = stats.apply(node.pubkey());
        double latency = s.successes() > 0 ? s.ewmaLatencyMs() : PRIOR_LATENCY_MS;
        double stakeWeight = Math.max(0, Math.min(1, stake.weight(node.pubkey())));
        return (double) total.value() / Math.max(1, spec.maxPriceMsat()) + latency / LATENCY_SCALE_MS
                + FAILURE_WEIGHT * (1 - s.successRate()) + LOAD_WEIGHT * node.load() - STAKE_CAP * stakeWeight;
    }

    static boolean capable(CapabilityManifest m, JobRequest.Spec spec) {
        if (!m.roles().contains(CapabilityManifest.Role.INFERENCE) || !m.payment().timing().contains(spec.timing())) {
            return false;
        }
        return m.models().stream().anyMatch(offer -> offer.id().equals(spec.model()) && offer.task().equals(spec.task())
                && (offer.maxInputBytes() == 0 || spec.inputBytes() <= offer.maxInputBytes()));
    }

    private static boolean localityMatches(LiveNode node, JobRequest.Spec spec) {
        String wanted = spec.constraints().locality();
        return wanted.isEmpty() || wanted.equals(node.manifest().bands().get("locality"));
    }
}
