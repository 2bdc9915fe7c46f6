package org.fedai.roles.router;

import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.fedai.domain.JobId;
import org.fedai.protocol.JobRequest;
import org.fedai.roles.router.machine.Offer;

/**
 * The market as the job machine is shown it: the live nodes this router may quote, ranked by its selection policy,
 * with slashed nodes left out and unproven ones held to their share and placed behind proven ones
 * ({@link NewcomerLimits}), each priced and given its accept window.
 */
final class RouterMarket {

    /** {@code ranked} best first; empty with the selection's {@code refusal} (such as {@code over_max_price}). */
    record Offers(List<Offer> ranked, String refusal) {
    }

    private final NodeRegistry registry;
    private final SelectionPolicy selection;
    private final NewcomerLimits newcomers;
    private final Supplier<Set<PublicKey>> slashed;
    private final Set<PublicKey> servedNodes;
    private final Msat maxJob;
    private final Duration acceptTimeout;

    RouterMarket(NodeRegistry registry, SelectionPolicy selection, NewcomerLimits newcomers,
            Supplier<Set<PublicKey>> slashed, RouterConfig config) {
        this.registry = registry;
        this.selection = selection;
        this.newcomers = newcomers;
        this.slashed = slashed;
        this.servedNodes = config.servedNodes();
        this.maxJob = Msat.of(config.policy().maxJobMsat());
        this.acceptTimeout = config.acceptTimeout();
    }

    /** The nodes to quote for job {@code jobId}, never one in {@code exclude}; {@code failover}: a fallback. */
    Offers offers(JobId jobId, PublicKey client, JobRequest.Spec spec, Set<PublicKey> exclude, boolean failover) {
        Set<PublicKey> excluded = new HashSet<>(exclude);
        excluded.addAll(slashed.get()); // a node that took paid work and delivered nothing gets no more
        SelectionPolicy.Selection chosen = selection.select(new SelectionPolicy.Request(client, spec, excluded,
                maxJob), servedLiveNodes());
        if (chosen.empty()) {
            return new Offers(List.of(), chosen.refusal());
        }
        return new Offers(newcomers.order(jobId, chosen.ranked(), registry::stats, failover).stream()
                .map(this::offer).toList(), "");
    }

    private Offer offer(SelectionPolicy.Candidate c) {
        // an unproven node gets a short window: an honest one accepts within a relay round trip
        long acceptMs = newcomers.acceptTimeout(registry.stats(c.node().pubkey()), acceptTimeout).toMillis();
        return new Offer(c.node().pubkey(), c.node().manifest().payment().lightningPubkey(),
                c.node().manifest().payment().network(), c.nodePrice(), c.fee(), acceptMs);
    }

    /** The cheapest total (price and fee) a node selected for {@code spec} would cost, whatever its max price. */
    Optional<Msat> cheapestTotal(JobRequest.Spec spec, PublicKey client) {
        return selection.cheapestTotal(new SelectionPolicy.Request(client, spec, slashed.get(), maxJob),
                servedLiveNodes());
    }

    /** The live nodes this router may quote: all of them, or only {@link RouterConfig#servedNodes()} when set. */
    List<LiveNode> servedLiveNodes() {
        List<LiveNode> live = registry.live();
        return servedNodes.isEmpty() ? live : live.stream().filter(n -> servedNodes.contains(n.pubkey())).toList();
    }
}
