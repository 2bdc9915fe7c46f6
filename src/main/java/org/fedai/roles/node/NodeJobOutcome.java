package org.fedai.roles.node;

import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobState;

/**
 * What became of one job, for the demo and operators: which node ran it, who asked, who routed, the price, whether it was paid,
 * how long the run took and a one-line summary of the result or the error.
 */
public record NodeJobOutcome(JobId jobId, PublicKey node, PublicKey client, PublicKey router, String model, Msat price,
        NodeJobState state, boolean paid, long runSeconds, String summary) {

    static NodeJobOutcome of(PublicKey node, NodeJob job) {
        // a hold job runs only on a held payment, which it settles on delivery
        boolean paid = job.order().map(o -> o.authorization() == WorkAuthorization.PAID
                || o.authorization() == WorkAuthorization.HOLD)
                .orElse(false);
        long run = job.outcome().map(o -> Math.max(0, o.finishedAt() - o.startedAt())).orElse(0L);
        String summary = job.outcome().map(o -> o.error().isEmpty()
                ? o.units() + " " + o.unit() + ", output sha256 " + o.outputSha256()
                : "error: " + o.error()).orElse(job.state().name().toLowerCase(java.util.Locale.ROOT));
        return new NodeJobOutcome(job.jobId(), node, job.terms().client(), job.terms().router(), job.terms().model(),
                job.terms().price(), job.state(), paid, run, summary);
    }
}
