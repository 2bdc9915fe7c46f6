package org.fedai.roles.client;

import java.util.List;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentProof;
import org.fedai.store.ClientJournal;

/** What {@link DeferredPayment} and {@link PartialPayment} do through the client's steps: prove, finish, count. */
final class ClientHooks implements DeferredPayment.Hooks {

    private final ClientSteps steps;
    private final ClientJournal journal;

    ClientHooks(ClientSteps steps, ClientJournal journal) {
        this.steps = steps;
        this.journal = journal;
    }

    @Override
    public void prove(ClientJob job, List<PaymentProof.Paid> paid) {
        steps.publish(PaymentCodecs.encodeProof(new PaymentProof(job.jobId, paid), steps.config().keys(), job.router,
                steps.now()));
    }

    @Override
    public void complete(ClientJob job, String outputType, String output) {
        synchronized (job) {
            if (job.finished()) {
                return;
            }
            job.state = ClientJob.State.DONE;
            journal.recordState(job.jobId, job.router, job.state.name(), job.quote.node(), steps.now());
        }
        job.outcome.complete(JobOutcome.succeeded(job, outputType, output));
    }

    @Override
    public void fail(ClientJob job, String why) {
        steps.fail(job, why);
    }

    @Override
    public void reject(String reason) {
        steps.reject(reason);
    }

    @Override
    public void progress(String jobId, String step) {
        steps.progress(jobId, step);
    }
}
