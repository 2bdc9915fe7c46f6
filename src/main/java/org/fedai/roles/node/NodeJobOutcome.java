package org.fedai.roles.node;

import org.fedai.domain.WorkAuthorization;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobState;

/**
 * What became of one job, for the demo and operators: which node ran it, who asked, who routed, the price, whether it was paid,
 * how long the run took and a one-line summary of the result or the error.
 */
public record NodeJobOutcome(String jobId, String node, String client, String router, String model, long priceMsat,
        NodeJobState state, boolean paid, long runSeconds, String summary) {

    static NodeJobOutcome of(String node, NodeJob job) {
        // a hold job runs only on a held payment, which it settles on delivery
        boolean paid = job.order().map(o -> o.authorization() == WorkAuthorization.PAID
                || o.authorization() == WorkAuthorization.HOLD)
                .orElse(false);
        long run = job.outcome().map(o -> Math.max(0, o.finishedAt() - o.startedAt())).orElse(0L);
        String summary = job.outcome().map(o -> o.error().isEmpty()
                ? o.units() + " " + o.unit() + ", output sha256 " + o.outputSha256()
                : "error: " + o.error()).orElse(job.state().name().toLowerCase(java.util.Locale.ROOT));
        return new NodeJobOutcome(job.jobId(), node, job.terms().client(), job.terms().router(), job.terms().model(),
                job.terms().priceMsat(), job.state(), paid, run, summary);
    }
}
