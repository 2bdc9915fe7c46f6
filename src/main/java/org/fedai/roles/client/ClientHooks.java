package org.fedai.roles.client;

import java.util.List;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentProof;
import org.fedai.store.ClientJournal;

/** What {@link DeferredPayment} and {@link PartialPayment} do through the client role: prove, finish, count. */
final class ClientHooks implements DeferredPayment.Hooks {

    private final ClientRole role;
    private final ClientJournal journal;

    ClientHooks(ClientRole role, ClientJournal journal) {
        this.role = role;
        this.journal = journal;
    }

    @Override
    public void prove(ClientJob job, List<PaymentProof.Paid> paid) {
        role.publish(PaymentCodecs.encodeProof(new PaymentProof(job.jobId, paid), role.config().keys(), job.router,
                role.now()));
    }

    @Override
    public void complete(ClientJob job, String outputType, String output) {
        synchronized (job) {
            if (job.finished()) {
                return;
            }
            job.state = ClientJob.State.DONE;
            journal.recordState(job.jobId, job.router, job.state.name(), job.quote.node(), role.now());
        }
        job.outcome.complete(JobOutcome.succeeded(job, outputType, output));
    }

    @Override
    public void fail(ClientJob job, String why) {
        role.fail(job, why);
    }

    @Override
    public void reject(String reason) {
        role.reject(reason);
    }

    @Override
    public void progress(String jobId, String step) {
        role.progress(jobId, step);
    }
}
