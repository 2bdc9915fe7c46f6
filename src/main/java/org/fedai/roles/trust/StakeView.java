package org.fedai.roles.trust;

import org.fedai.domain.PublicKey;

/**
 * A node's stake as the router sees it (kind 31402 bonds, a later issue). The selection policy caps what
 * it can add, so stake raises priority among good nodes but never rescues a poor one.
 */
@FunctionalInterface
public interface StakeView {

    /** Stake weight in [0, 1]: 0 for no bond. */
    double weight(PublicKey node);

    /** No stake is known yet: every node weighs 0. */
    StakeView NONE = node -> 0;
}
