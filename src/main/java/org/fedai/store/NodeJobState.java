package org.fedai.store;

/**
 * Where a market node's job stands (event-kinds/market-flow.md, node column). {@code PAID} means the router's
 * work order authorised the job: paid and checked against the node's own wallet, or pay-after-work agreed.
 */
public enum NodeJobState {
    /** A router's quote named this node; nothing sent yet. */
    QUOTED,
    /** {@code accepted} status sent; for pay-after-work the node waits here for the work order. */
    ACCEPTED,
    /** The invoice went to the client. */
    INVOICED,
    /** A work order authorised the job; it runs once the input is in hand. */
    PAID,
    /** The runner was started: after a crash the job is re-run, since its result was never published. */
    RUNNING,
    /** The result, {@code success} and metering record are in the outbox: never run again. */
    DONE,
    /** Stopped with an {@code error} status; nothing is owed for undone work. */
    FAILED;

    public boolean terminal() {
        return this == DONE || this == FAILED;
    }
}
