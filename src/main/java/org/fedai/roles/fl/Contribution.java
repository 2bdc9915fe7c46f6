package org.fedai.roles.fl;

/**
 * What a full node sends of the update it trained, and whether it stays for the whole round. An honest node sends
 * its update as trained and stays; the defences the aggregator runs (clipping checks, robust rules, secure
 * aggregation's dropout recovery) are tested by wrapping this seam test-side with a node that does not. Nothing in
 * production makes a node misbehave.
 */
public interface Contribution {

    /** Sends the update as trained and stays until the round ends. */
    Contribution HONEST = new Contribution() { };

    /** The update to send, given the one trained (clipped to the task's bound); may be the same array. */
    default double[] update(double[] trained) {
        return trained;
    }

    /** Secure aggregation: whether the node stays after sharing its keys (false: it drops out of the round). */
    default boolean staysAfterSharingKeys() {
        return true;
    }
}
