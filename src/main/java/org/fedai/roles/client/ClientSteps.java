package org.fedai.roles.client;

import org.fedai.domain.JobId;
import org.fedai.nostr.Event;

/**
 * What the client's shell pieces (the spec dispatch, the recovery, the effects) may do through the role: the seam
 * they hold instead of {@link ClientRole} itself. Implemented by {@link ClientRoleSteps}.
 */
interface ClientSteps {

    ClientConfig config();

    /** The client's clock, in seconds. */
    long now();

    /** A step of the job, in words, for the progress listeners (on the thread taking it, before it goes on). */
    void progress(JobId jobId, String step);

    /** Counts a refusal, or something worth seeing that is not one (a recovery, a retry), by reason. */
    void count(String reason);

    /** Hands {@code input} to the job's machine, on the job thread, after what was handed before. */
    void feed(ClientJob job, ClientInput input);

    /** Takes an event again as if it had just come (one kept until its job's quote was in); on the job thread. */
    void replay(Event event);

    /** Sends a fresh spec of {@code job}'s submission to the next router of its order. */
    void tryNextRouter(ClientJob job);

    /** Who pays external jobs' invoices. */
    ExternalPayer outsidePayer();
}
