package org.fedai.store;

/** Where a routed job stands in the router's ledger (event-kinds/market-flow.md). */
public enum RouterJobState {
    /** Quote sent; the accept_by clock runs. */
    QUOTED,
    /** The quoted node published {@code accepted}; the router waits for the payment proof. */
    ACCEPTED,
    /** Work order sent (paid, or pay-after-work with a debt recorded). */
    ORDERED,
    /** The node's metering record was checked and countersigned. */
    METERED,
    /** No node accepted, or the node reported an error. */
    FAILED
}
