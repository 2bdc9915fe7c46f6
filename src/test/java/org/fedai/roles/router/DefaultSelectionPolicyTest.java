package org.fedai.roles.router;

import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.store.NodeStats;
import org.junit.jupiter.api.Test;

/** Capability, constraints and price filter; observed behaviour, load and capped stake order. */
class DefaultSelectionPolicyTest {

    private final Map<PublicKey, NodeStats> stats = new HashMap<>();
    private final Map<PublicKey, Double> stake = new HashMap<>();
    private final DefaultPricingPolicy pricing = new DefaultPricingPolicy(new RouterAnnouncement.Fee(100, 10_000));
    private final DefaultSelectionPolicy policy = new DefaultSelectionPolicy(pricing,
            k -> stats.getOrDefault(k, NodeStats.NONE), k -> stake.getOrDefault(k, 0.0));
    private final PublicKey client = PublicKey.of(KeyPair.generate().publicKey());

    private static LiveNode node(long msatPerUnit, String task, String locality, double load) {
        return new LiveNode(PublicKey.of(KeyPair.generate().publicKey()), new CapabilityManifest("n", "fedai/0.1.0",
                Set.of(CapabilityManifest.Role.INFERENCE), List.of(new CapabilityManifest.ModelOffer("m", task, 0)),
                List.of(new CapabilityManifest.Price("m", "text", msatPerUnit, 500)),
                new CapabilityManifest.Limits(1, 0),
                new PaymentTerms(Set.of(PaymentTiming.BEFORE), "02" + "ab".repeat(32), "regtest"),
                locality.isEmpty() ? Map.of() : Map.of("locality", locality), Map.of(), List.of(), 0), 0, load);
    }

    private static JobRequest.Spec spec(long units, long maxPrice, JobRequest.Constraints c) {
        return new JobRequest.Spec("m", "embedding", "00".repeat(32), 10, units, maxPrice, c, PaymentTiming.BEFORE,
                0, 0);
    }

    private SelectionPolicy.Selection select(JobRequest.Spec spec, LiveNode... live) {
        return policy.select(new SelectionPolicy.Request(client, spec, Set.of(), Msat.of(1_000_000)), List.of(live));
    }

    @Test
    void pricesFromTheManifestWithTheMinimumAndAddsTheAnnouncedFee() {
        LiveNode n = node(100, "embedding", "", 0);
        SelectionPolicy.Candidate one = select(spec(2, 10_000, JobRequest.Constraints.none()), n).ranked().get(0);
        assertThat(one.nodePrice()).isEqualTo(Msat.of(500)); // 2 x 100 is under min_msat
        assertThat(one.fee()).isEqualTo(Msat.of(105));
        SelectionPolicy.Candidate many = select(spec(30, 10_000, JobRequest.Constraints.none()), n).ranked().get(0);
        assertThat(many.nodePrice()).isEqualTo(Msat.of(3000));
        assertThat(many.fee()).isEqualTo(Msat.of(130));
    }

    @Test
    void refusesWithTheReasonWhenNothingQualifies() {
        LiveNode chat = node(100, "chat", "", 0);
        LiveNode n = node(1000, "embedding", "eu", 0);
        assertThat(select(spec(2, 100_000, JobRequest.Constraints.none()), chat).refusal()).isEqualTo("no_capable_node");
        assertThat(select(spec(2, 100_000, new JobRequest.Constraints(Set.of(), Set.of(n.pubkey().hex()), "")), n)
                .refusal()).isEqualTo("constraints");
        assertThat(select(spec(2, 100_000, new JobRequest.Constraints(Set.of(), Set.of(), "us")), n).refusal())
                .isEqualTo("constraints");
        assertThat(select(spec(2, 2_119, JobRequest.Constraints.none()), n).refusal()).isEqualTo("over_max_price");
        assertThat(select(spec(2, 2_120, JobRequest.Constraints.none()), n).ranked()).hasSize(1);
    }

    @Test
    void honoursAllowListsAndLocality() {
        LiveNode eu = node(1000, "embedding", "eu", 0);
        LiveNode us = node(900, "embedding", "us", 0);
        assertThat(select(spec(2, 100_000, new JobRequest.Constraints(Set.of(), Set.of(), "eu")), eu, us).ranked())
                .extracting(c -> c.node().pubkey()).containsExactly(eu.pubkey());
        assertThat(select(spec(2, 100_000, new JobRequest.Constraints(Set.of(eu.pubkey().hex()), Set.of(), "")), eu, us)
                .ranked()).extracting(c -> c.node().pubkey()).containsExactly(eu.pubkey());
    }

    @Test
    void prefersTheFasterMoreReliableNodeOverASlightlyCheaperOne() {
        LiveNode cheap = node(1000, "embedding", "", 0);
        LiveNode good = node(1100, "embedding", "", 0);
        JobRequest.Spec spec = spec(2, 20_000, JobRequest.Constraints.none());
        assertThat(select(spec, cheap, good).ranked().get(0).node()).isEqualTo(cheap);
        stats.put(cheap.pubkey(), NodeStats.NONE.withSuccess(9_000).withTimeout());
        stats.put(good.pubkey(), NodeStats.NONE.withSuccess(300).withSuccess(400));
        List<SelectionPolicy.Candidate> ranked = select(spec, cheap, good).ranked();
        assertThat(ranked).extracting(SelectionPolicy.Candidate::node).containsExactly(good, cheap);
    }

    @Test
    void prefersTheLessLoadedNodeAmongEquals() {
        LiveNode busy = node(1000, "embedding", "", 0.9);
        LiveNode idle = node(1000, "embedding", "", 0.1);
        assertThat(select(spec(2, 20_000, JobRequest.Constraints.none()), busy, idle).ranked().get(0).node())
                .isEqualTo(idle);
    }

    @Test
    void stakeOrdersEqualsButCannotRescueAFailingNode() {
        LiveNode staked = node(1000, "embedding", "", 0);
        LiveNode plain = node(1000, "embedding", "", 0);
        stake.put(staked.pubkey(), 50.0); // far over the cap: clamped to 1
        JobRequest.Spec spec = spec(2, 20_000, JobRequest.Constraints.none());
        assertThat(select(spec, plain, staked).ranked().get(0).node()).isEqualTo(staked);
        stats.put(staked.pubkey(), NodeStats.NONE.withFailure().withFailure());
        assertThat(select(spec, plain, staked).ranked().get(0).node()).isEqualTo(plain);
    }

    @Test
    void aPriceWhoseFeeOrTotalWouldOverflowIsOverEveryMaximumNotAnError() {
        // a hostile manifest must not make selection throw for every spec while that node is live
        LiveNode greedy = node(Long.MAX_VALUE - 1, "embedding", "", 0);
        LiveNode fair = node(1000, "embedding", "", 0);
        assertThat(select(spec(1, 100_000, JobRequest.Constraints.none()), greedy, fair).ranked())
                .extracting(SelectionPolicy.Candidate::node).containsExactly(fair);
        assertThat(select(spec(1, Long.MAX_VALUE, JobRequest.Constraints.none()), greedy).refusal())
                .isEqualTo("over_max_price");
    }

    @Test
    void neverPicksExcludedNodesOrTheClientItself() {
        LiveNode a = node(1000, "embedding", "", 0);
        LiveNode b = node(1000, "embedding", "", 0);
        SelectionPolicy.Selection s = policy.select(new SelectionPolicy.Request(b.pubkey(),
                spec(2, 20_000, JobRequest.Constraints.none()), Set.of(a.pubkey()), Msat.of(1_000_000)), List.of(a, b));
        assertThat(s.ranked()).isEmpty();
    }
}
