package org.fedai.protocol;

/**
 * A stake bond (kind 31402, event-kinds/31402-stake-bond.md): the signer bonds abstract stake units to a node
 * ({@code node} may be the signer itself). A bond, never a payment: nothing moves, and it decays and expires.
 */
public record StakeBond(String bondId, String node, long units, long halfLifeSeconds, long expiresAt) {

    public StakeBond {
        if (units < 1 || units > StakeBondCodec.MAX_UNITS) {
            throw new IllegalArgumentException("units must be in 1.." + StakeBondCodec.MAX_UNITS);
        }
        if (halfLifeSeconds < StakeBondCodec.MIN_HALF_LIFE_SECONDS
                || halfLifeSeconds > StakeBondCodec.MAX_HALF_LIFE_SECONDS) {
            throw new IllegalArgumentException("half_life_s out of range");
        }
    }

    /**
     * {@code units * 2^(-(now - createdAt) / half_life)} before {@code expiresAt}, 0 from then on. A bond dated
     * in the future does not count yet, so that post-dating cannot escape the decay.
     */
    public double effectiveUnits(long createdAt, long now) {
        if (now >= expiresAt || createdAt > now) {
            return 0;
        }
        return units * Math.pow(2, -(double) (now - createdAt) / halfLifeSeconds);
    }
}
