package org.fedai.roles.trust;

import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.SlashClaim;
import org.fedai.protocol.StakeBond;
import org.fedai.protocol.StakeBondCodec;
import org.fedai.roles.router.DefaultPricingPolicy;
import org.fedai.roles.router.DefaultSelectionPolicy;
import org.fedai.roles.router.LiveNode;
import org.fedai.roles.router.SelectionPolicy;
import org.fedai.store.NodeStats;
import org.junit.jupiter.api.Test;

/** Bonds decay, expire, are replaced by address and capped; stake counts last in the router's selection. */
class BondedStakeViewTest {

    static final long T0 = 1_763_769_600L;
    static final long DAY = 86_400;

    private final AtomicLong now = new AtomicLong(T0);
    private final InstantSource clock = () -> Instant.ofEpochSecond(now.get());
    private final KeyPair node = KeyPair.generate();
    private final KeyPair sponsor = KeyPair.generate();
    private final BondedStakeView view = new BondedStakeView(new BondedStakeView.Config(1000, k -> true), clock);

    private static Event bond(KeyPair signer, String d, String nodeKey, long units, long at) {
        return EventSigner.sign(StakeBondCodec.encode(new StakeBond(d, nodeKey, units, 7 * DAY, at + 30 * DAY), at),
                signer);
    }

    @Test
    void weightDecaysByHalfEachHalfLifeAndEndsAtExpiration() {
        assertThat(view.onBond(bond(sponsor, "b1", node.publicKey(), 800, T0))).isTrue();
        assertThat(view.weight(PublicKey.of(node.publicKey()))).isCloseTo(0.8, within(1e-9));
        now.set(T0 + 7 * DAY);
        assertThat(view.weight(PublicKey.of(node.publicKey()))).isCloseTo(0.4, within(1e-9));
        now.set(T0 + 30 * DAY);
        assertThat(view.weight(PublicKey.of(node.publicKey()))).isZero();
    }

    @Test
    void bondsAddUpToTheCapAndNoFurther() {
        view.onBond(bond(sponsor, "b1", node.publicKey(), 800, T0));
        view.onBond(bond(node, "self", node.publicKey(), 800, T0));
        view.onBond(bond(sponsor, "b2", node.publicKey(), 1_000_000, T0));
        assertThat(view.weight(PublicKey.of(node.publicKey()))).isEqualTo(1.0);
        assertThat(view.weight(PublicKey.of(sponsor.publicKey()))).isZero();
    }

    @Test
    void aNewerBondAtTheSameAddressReplacesTheOlder() {
        view.onBond(bond(sponsor, "b1", node.publicKey(), 800, T0));
        now.set(T0 + 1);
        assertThat(view.onBond(bond(sponsor, "b1", node.publicKey(), 100, T0 + 1))).isTrue();
        assertThat(view.weight(PublicKey.of(node.publicKey()))).isCloseTo(0.1, within(1e-3));
        assertThat(view.onBond(bond(sponsor, "b1", node.publicKey(), 900, T0 - 5))).isFalse();
        assertThat(view.weight(PublicKey.of(node.publicKey()))).isCloseTo(0.1, within(1e-3));
        assertThat(view.rejections()).containsEntry("superseded", 1L);
    }

    @Test
    void forgedExpiredOrUnacceptedBondsDoNotCount() {
        Event b = bond(sponsor, "b1", node.publicKey(), 800, T0);
        Event forged = new Event(b.id(), b.pubkey(), b.createdAt(), b.kind(), b.tags(),
                b.content().replace("800", "900"), b.sig());
        assertThat(view.onBond(forged)).isFalse();
        now.set(T0 + 31 * DAY);
        assertThat(view.onBond(b)).isFalse();
        BondedStakeView picky = new BondedStakeView(new BondedStakeView.Config(1000,
                Set.of(node.publicKey())::contains), clock);
        now.set(T0);
        assertThat(picky.onBond(b)).isFalse();
        assertThat(picky.onBond(bond(node, "self", node.publicKey(), 500, T0))).isTrue();
        assertThat(view.rejections()).containsEntry("forged", 1L).containsEntry("expired", 1L);
        assertThat(picky.rejections()).containsEntry("bonder_not_accepted", 1L);
        assertThat(view.weight(PublicKey.of(node.publicKey()))).isZero();
    }

    @Test
    void aVerifiedSlashZeroesTheNodesStake() {
        view.onBond(bond(sponsor, "b1", node.publicKey(), 800, T0));
        view.onVerifiedSlash(new SlashVerdict.Valid(new SlashClaim(node.publicKey(), SlashClaim.Reason.TAMPERING,
                List.of("01".repeat(32)), "ab".repeat(32), "", ""), List.of()));
        assertThat(view.weight(PublicKey.of(node.publicKey()))).isZero();
    }

    @Test
    void aHighStakeNodeThatPerformsPoorlyLosesToAZeroStakeNodeThatPerformsWell() {
        LiveNode staked = live(node.publicKey());
        LiveNode plain = live(KeyPair.generate().publicKey());
        view.onBond(bond(sponsor, "whale", staked.pubkey().hex(), 1_000_000_000, T0));
        assertThat(view.weight(staked.pubkey())).isEqualTo(1.0);
        assertThat(view.weight(plain.pubkey())).isZero();

        Map<PublicKey, NodeStats> stats = new java.util.HashMap<>();
        DefaultSelectionPolicy policy = new DefaultSelectionPolicy(
                new DefaultPricingPolicy(new RouterAnnouncement.Fee(100, 10_000)),
                k -> stats.getOrDefault(k, NodeStats.NONE), view);
        JobRequest.Spec spec = new JobRequest.Spec("m", "embedding", "00".repeat(32), 10, 2, 20_000,
                JobRequest.Constraints.none(), PaymentTiming.BEFORE, 0, 0);
        SelectionPolicy.Request request = new SelectionPolicy.Request(PublicKey.of(KeyPair.generate().publicKey()), spec, Set.of(),
                Msat.of(1_000_000));

        // equals in every other respect: stake decides
        assertThat(policy.select(request, List.of(plain, staked)).ranked().get(0).node()).isEqualTo(staked);

        // the staked node is slow and fails one job in four; the plain one is fast and reliable
        stats.put(staked.pubkey(), NodeStats.NONE.withSuccess(4_000).withSuccess(5_000).withSuccess(4_500)
                .withTimeout());
        stats.put(plain.pubkey(), NodeStats.NONE.withSuccess(300).withSuccess(350).withSuccess(320));
        List<SelectionPolicy.Candidate> ranked = policy.select(request, List.of(plain, staked)).ranked();
        assertThat(ranked).extracting(SelectionPolicy.Candidate::node).containsExactly(plain, staked);
    }

    private static LiveNode live(String pubkey) {
        return new LiveNode(PublicKey.of(pubkey), new CapabilityManifest("n", "fedai/0.1.0", Set.of(CapabilityManifest.Role.INFERENCE),
                List.of(new CapabilityManifest.ModelOffer("m", "embedding", 0)),
                List.of(new CapabilityManifest.Price("m", "text", 1000, 500)), new CapabilityManifest.Limits(1, 0),
                new PaymentTerms(Set.of(PaymentTiming.BEFORE), "02" + "ab".repeat(32), "regtest"), Map.of(), Map.of(),
                List.of(), 0), 0, 0);
    }
}
