package org.fedai.roles.trust;

import org.fedai.domain.PublicKey;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventVerifier;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.StakeBond;
import org.fedai.protocol.StakeBondCodec;
import org.fedai.roles.common.Counters;

/**
 * The router's view of stake, fed by 31402 bonds: per node, the sum of the decayed units of the bonds it counts,
 * divided by {@code capUnits} and capped at 1 (event-kinds/31402-stake-bond.md). The selection policy then caps
 * what that weight can buy, so stake orders good nodes and never rescues a poor one. A node with a verified slash
 * claim weighs 0 whatever is bonded to it. Thread-safe: bonds arrive on pool threads, selection reads anywhere.
 */
public final class BondedStakeView implements StakeView {

    /**
     * @param capUnits        effective units at which a node's weight saturates at 1
     * @param bonderAccepted  whose bonds count (units are abstract: the router decides whose word backs them)
     */
    public record Config(double capUnits, Predicate<String> bonderAccepted) {
        public Config {
            if (!(capUnits > 0) || Double.isInfinite(capUnits)) {
                throw new IllegalArgumentException("capUnits must be positive and finite");
            }
        }
    }

    private record Held(PublicKey node, StakeBond bond, long createdAt) {
    }

    private final Config config;
    private final InstantSource clock;
    /** Addressable: one bond per bonder pubkey and {@code d}, the newest. */
    private final Map<String, Held> bonds = new ConcurrentHashMap<>();
    private final Set<PublicKey> slashed = ConcurrentHashMap.newKeySet();
    private final Counters rejected = new Counters();

    public BondedStakeView(Config config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Takes a 31402 event; returns false, counting the reason, when it does not count. */
    public boolean onBond(Event event) {
        EventCheck check = EventVerifier.check(event);
        if (!check.valid()) {
            return reject("forged");
        }
        if (!config.bonderAccepted().test(event.pubkey())) {
            return reject("bonder_not_accepted");
        }
        StakeBond bond;
        switch (StakeBondCodec.decode(event, clock.instant().getEpochSecond())) {
            case Decoded.Rejected<StakeBond> r -> {
                return reject(r.rejection().reason().code());
            }
            case Decoded.Accepted<StakeBond> a -> bond = a.value();
        }
        String address = event.pubkey() + ":" + bond.bondId();
        Held now = new Held(PublicKey.of(bond.node()), bond, event.createdAt());
        Held kept = bonds.merge(address, now, (old, neu) -> neu.createdAt() > old.createdAt() ? neu : old);
        return kept == now || reject("superseded");
    }

    /** A slash claim against {@code node} verified ({@link SlashClaimVerifier}): its stake no longer counts. */
    public void onVerifiedSlash(SlashVerdict.Valid verdict) {
        slashed.add(PublicKey.of(verdict.claim().accused()));
    }

    @Override
    public double weight(PublicKey node) {
        if (slashed.contains(node)) {
            return 0;
        }
        return Math.min(1, effectiveUnits(node) / config.capUnits());
    }

    /** The decayed units of the counted bonds naming {@code pubkey} now, uncapped (0 once slashed). */
    public double effectiveUnits(PublicKey pubkey) {
        if (slashed.contains(pubkey)) {
            return 0;
        }
        long now = clock.instant().getEpochSecond();
        return bonds.values().stream().filter(h -> h.node().equals(pubkey))
                .mapToDouble(h -> h.bond().effectiveUnits(h.createdAt(), now)).sum();
    }

    /** Rejected bonds by reason ({@code forged}, {@code bonder_not_accepted}, {@code superseded}, codec codes). */
    public Map<String, Long> rejections() {
        return rejected.snapshot();
    }

    private boolean reject(String reason) {
        rejected.increment(reason);
        return false;
    }
}
