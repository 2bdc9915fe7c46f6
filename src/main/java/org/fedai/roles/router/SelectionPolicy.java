package org.fedai.roles.router;

import java.util.Comparator;
import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import java.util.List;
import java.util.Set;
import org.fedai.protocol.JobRequest;

/**
 * Chooses who does a job, as Flower's Strategy chooses clients for a round: one step, given the request and
 * every live node, returning the candidates best first (the first gets the quote, the second is its
 * fallback) or, when none qualifies, why.
 */
public interface SelectionPolicy {

    Selection select(Request request, List<LiveNode> live);

    /**
     * @param exclude    nodes never to pick for this job (those already quoted and timed out)
     * @param maxJob the router's own ceiling on node price plus fee (its announced policy); zero: none
     */
    record Request(PublicKey client, JobRequest.Spec spec, Set<PublicKey> exclude, Msat maxJob) {
        public Request {
            exclude = Set.copyOf(exclude);
        }
    }

    /** A node that can do the job at this price and fee; lower {@code score} is better. */
    record Candidate(LiveNode node, Msat nodePrice, Msat fee, double score) {
        public Msat total() {
            return nodePrice.plus(fee);
        }
    }

    /** {@code refusal} is empty when {@code ranked} is not, else a counter reason such as {@code over_max_price}. */
    record Selection(List<Candidate> ranked, String refusal) {
        public Selection {
            ranked = List.copyOf(ranked);
        }

        public boolean empty() {
            return ranked.isEmpty();
        }
    }

    /**
     * What the cheapest node this policy would select for {@code request} costs in all (node price and fee), whatever
     * the spec's max price: what a NIP-90 customer's bid is checked against before anything is routed.
     */
    default Optional<Msat> cheapestTotal(Request request, List<LiveNode> live) {
        JobRequest.Spec s = request.spec();
        JobRequest.Spec unbounded = new JobRequest.Spec(s.model(), s.task(), s.inputSha256(), s.inputBytes(),
                s.units(), Long.MAX_VALUE, s.constraints(), s.timing(), s.deliverBy(), s.expiresAt());
        return select(new Request(request.client(), unbounded, request.exclude(), request.maxJob()), live)
                .ranked().stream().map(Candidate::total).min(Comparator.naturalOrder());
    }
}
