package org.fedai.roles.client;

import java.time.Duration;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;

/**
 * How a job ended, for the caller and the demo's table. {@code output} is the assembled, hash-checked
 * result ("" on failure); {@code node} is empty when no quote came; {@code paid} is what the client paid node and router together.
 */
public record JobOutcome(JobId jobId, boolean succeeded, java.util.Optional<PublicKey> node, Msat nodePrice, Msat routerFee,
        Msat paid, Duration latency, String outputType, String output, String failure, int quotes) {

    static JobOutcome succeeded(ClientJob job, String outputType, String output) {
        return new JobOutcome(job.jobId, true, java.util.Optional.of(PublicKey.of(job.quote.node())), Msat.of(job.quote.nodePriceMsat()),
                Msat.of(job.quote.routerFeeMsat()),
                job.paidMsat(), Duration.ofNanos(System.nanoTime() - job.startedNanos), outputType, output, "",
                job.quotes);
    }

    static JobOutcome failed(ClientJob job, String why) {
        org.fedai.protocol.Quote q = job.quote;
        return new JobOutcome(job.jobId, false,
                q == null ? java.util.Optional.empty() : java.util.Optional.of(PublicKey.of(q.node())), Msat.of(q == null ? 0 : q.nodePriceMsat()),
                Msat.of(q == null ? 0 : q.routerFeeMsat()), job.paidMsat(), Duration.ofNanos(System.nanoTime() - job.startedNanos),
                "", "", why, job.quotes);
    }
}
