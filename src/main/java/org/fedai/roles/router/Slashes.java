package org.fedai.roles.router;

import org.fedai.domain.PublicKey;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.roles.trust.BondedStakeView;
import org.fedai.roles.trust.SlashVerdict;
import org.fedai.roles.trust.StakeView;

/**
 * The nodes this router has slashed (from its ledger, so across restarts): they get no work from it, and a bonded
 * stake view burns the slashed node's bonds.
 */
final class Slashes {

    private final Set<PublicKey> nodes = ConcurrentHashMap.newKeySet();
    private final StakeView stake;

    Slashes(Collection<PublicKey> slashedBefore, StakeView stake) {
        this.nodes.addAll(slashedBefore);
        this.stake = stake;
    }

    boolean contains(PublicKey node) {
        return nodes.contains(node);
    }

    Set<PublicKey> all() {
        return Set.copyOf(nodes);
    }

    /** A claim this router verified as any third party would: the node is out, its bonds are burnt. */
    void slashed(SlashVerdict.Valid verdict) {
        nodes.add(PublicKey.of(verdict.claim().accused()));
        if (stake instanceof BondedStakeView bonded) {
            bonded.onVerifiedSlash(verdict);
        }
    }
}
