package org.fedai.store;

/**
 * What a router has seen a node do: an exponentially weighted moving average of the latency from quote to
 * result, and counts of successes, failures (error status), timeouts (no {@code accepted} by accept_by) and
 * non-deliveries (ordered, but no result by deliver_by: the node was slashed for it).
 */
public record NodeStats(double ewmaLatencyMs, long successes, long failures, long timeouts, long nonDeliveries) {

    /** Weight of the newest observation: recent behaviour counts, one slow job does not dominate. */
    public static final double ALPHA = 0.3;

    public static final NodeStats NONE = new NodeStats(0, 0, 0, 0, 0);

    public NodeStats(double ewmaLatencyMs, long successes, long failures, long timeouts) {
        this(ewmaLatencyMs, successes, failures, timeouts, 0);
    }

    public long observations() {
        return successes + failures + timeouts + nonDeliveries;
    }

    /** Laplace-smoothed, so an unknown node starts at 1/2 and one outcome does not decide everything. */
    public double successRate() {
        return (successes + 1.0) / (observations() + 2.0);
    }

    public NodeStats withSuccess(long latencyMs) {
        double ewma = successes == 0 ? latencyMs : ALPHA * latencyMs + (1 - ALPHA) * ewmaLatencyMs;
        return new NodeStats(ewma, successes + 1, failures, timeouts, nonDeliveries);
    }

    public NodeStats withFailure() {
        return new NodeStats(ewmaLatencyMs, successes, failures + 1, timeouts, nonDeliveries);
    }

    public NodeStats withTimeout() {
        return new NodeStats(ewmaLatencyMs, successes, failures, timeouts + 1, nonDeliveries);
    }

    public NodeStats withNonDelivery() {
        return new NodeStats(ewmaLatencyMs, successes, failures, timeouts, nonDeliveries + 1);
    }
}
