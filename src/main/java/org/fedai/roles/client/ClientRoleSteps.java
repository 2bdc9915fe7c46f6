package org.fedai.roles.client;

import org.fedai.domain.JobId;
import org.fedai.nostr.Event;

/** The client role's {@link ClientSteps}: the one place its shell pieces reach it through. */
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
    public void progress(JobId jobId, String step) {
        role.progress(jobId, step);
    }

    @Override
    public void count(String reason) {
        role.count(reason);
    }

    @Override
    public void feed(ClientJob job, ClientInput input) {
        role.feed(job, input);
    }

    @Override
    public void replay(Event event) {
        role.take(event);
    }

    @Override
    public void tryNextRouter(ClientJob job) {
        role.tryNextRouter(job);
    }

    @Override
    public ExternalPayer outsidePayer() {
        return role.outsidePayer();
    }
}
