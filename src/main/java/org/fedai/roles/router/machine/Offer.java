package org.fedai.roles.router.machine;

import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;

/**
 * A node the router may quote, as its selection policy priced it: the node's key and the Lightning key and network
 * its manifest declares (a proof is checked against them later), its price and the router's fee, and how long the
 * node gets to accept (short for a node with no record here).
 */
public record Offer(PublicKey node, String lightningPubkey, String network, Msat nodePrice, Msat fee,
        long acceptWindowMs) {

    /** This offer at another fee: a failover keeps the fee the client may have paid already. */
    public Offer withFee(Msat otherFee) {
        return new Offer(node, lightningPubkey, network, nodePrice, otherFee, acceptWindowMs);
    }
}
