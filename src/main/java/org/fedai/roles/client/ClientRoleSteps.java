package org.fedai.roles.client;

import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.PaymentProof;

/** The client role's {@link ClientSteps}: the one place its helpers reach it through. */
final class ClientRoleSteps implements ClientSteps {

    private final ClientRole role;

    ClientRoleSteps(ClientRole role) {
        this.role = role;
    }

    @Override
    public ClientConfig config() {
        return role.config();
    }

    @Override
    public long now() {
        return role.now();
    }

    @Override
    public void progress(String jobId, String step) {
        role.progress(jobId, step);
    }

    @Override
    public void fail(ClientJob job, String why) {
        role.fail(job, why);
    }

    @Override
    public void complete(ClientJob job, String outputType, String output) {
        role.complete(job, outputType, output);
    }

    @Override
    public void reject(String reason) {
        role.reject(reason);
    }

    @Override
    public void count(String what) {
        role.count(what);
    }

    @Override
    public void rejectUnknownJob(String jobId, String reason) {
        role.rejectUnknownJob(jobId, reason);
    }

    @Override
    public void journalState(ClientJob job) {
        role.journalState(job);
    }

    @Override
    public void sendInput(ClientJob job) {
        role.sendInput(job);
    }

    @Override
    public void sendProof(ClientJob job, List<PaymentProof.Paid> paid) {
        role.sendProof(job, paid);
    }

    @Override
    public void publishProof(String jobId, String router, List<PaymentProof.Paid> paid) {
        role.publishProof(jobId, router, paid);
    }

    @Override
    public void publish(UnsignedEvent unsigned) {
        role.publish(unsigned);
    }

    @Override
    public void publishSigned(Event event) {
        role.publishSigned(event);
    }

    @Override
    public boolean keptForQuote(ClientJob job, Event e) {
        return role.keptForQuote(job, e);
    }
}
