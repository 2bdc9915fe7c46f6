package org.fedai.roles.client;

import java.time.Duration;

/**
 * How a job ended, for the caller and the demo's table. {@code output} is the assembled, hash-checked
 * result ("" on failure); {@code paidMsat} is what the client paid node and router together.
 */
public record JobOutcome(String jobId, boolean succeeded, String node, long nodePriceMsat, long routerFeeMsat,
        long paidMsat, Duration latency, String outputType, String output, String failure, int quotes) {

    static JobOutcome succeeded(ClientJob job, String outputType, String output) {
        return new JobOutcome(job.jobId, true, job.quote.node(), job.quote.nodePriceMsat(), job.quote.routerFeeMsat(),
                job.paidMsat(), Duration.ofNanos(System.nanoTime() - job.startedNanos), outputType, output, "",
                job.quotes);
    }

    static JobOutcome failed(ClientJob job, String why) {
        org.fedai.protocol.Quote q = job.quote;
        return new JobOutcome(job.jobId, false, q == null ? "" : q.node(), q == null ? 0 : q.nodePriceMsat(),
                q == null ? 0 : q.routerFeeMsat(), job.paidMsat(), Duration.ofNanos(System.nanoTime() - job.startedNanos),
                "", "", why, job.quotes);
    }
}
