package org.fedai.protocol;

/**
 * Liveness and load (kind 24400, event-kinds/24400-heartbeat.md). {@code address} is the
 * {@code kind:pubkey:d} of the manifest or announcement it keeps alive.
 */
public record Heartbeat(String address, int activeJobs, int queuedJobs, double load, int intervalSeconds) {

    public Heartbeat {
        if (load < 0 || load > 1 || Double.isNaN(load)) {
            throw new IllegalArgumentException("load must be in [0, 1]");
        }
        if (intervalSeconds < HeartbeatCodec.MIN_INTERVAL || intervalSeconds > HeartbeatCodec.MAX_INTERVAL) {
            throw new IllegalArgumentException("interval must be " + HeartbeatCodec.MIN_INTERVAL + ".."
                    + HeartbeatCodec.MAX_INTERVAL + " s");
        }
    }
}
