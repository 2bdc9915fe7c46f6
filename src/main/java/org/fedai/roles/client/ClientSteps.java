package org.fedai.roles.client;

import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.PaymentProof;

/**
 * What the client's helpers (payments, results, recovery) may do to a job through the role: the seam they hold
 * instead of {@link ClientRole} itself, so that each sees only these steps. Implemented inside the role.
 */
interface ClientSteps {

    ClientConfig config();

    /** The client's clock, in seconds. */
    long now();

    /** A step of the job, in words, for the progress listeners (on the thread taking it, before it goes on). */
    void progress(String jobId, String step);

    /** Ends the job unsuccessfully with {@code why}, journalled, once. */
    void fail(ClientJob job, String why);

    /** Ends the job with its result (once), journalled DONE, and hands the outcome over. */
    void complete(ClientJob job, String outputType, String output);

    /** Counts a refusal by reason. */
    void reject(String reason);

    /** Counts something worth seeing that is not a refusal (a recovery, a retry). */
    void count(String what);

    /** Counts {@code reason} for an event naming no job in memory, unless it is a late one for a job that ended. */
    void rejectUnknownJob(String jobId, String reason);

    void journalState(ClientJob job);

    /** The input, sealed to the quoted node only. */
    void sendInput(ClientJob job);

    /** Publishes the proof until a relay takes it or the job is over. */
    void sendProof(ClientJob job, List<PaymentProof.Paid> paid);

    /** A proof for a job the journal knows only by its payments. */
    void publishProof(String jobId, String router, List<PaymentProof.Paid> paid);

    void publish(UnsignedEvent unsigned);

    /** Publishes an event signed before (a spec sent again after a restart, with its id). */
    void publishSigned(Event event);

    /** Keeps an event of the quoted node that came before the quote it answers; true when kept. */
    boolean keptForQuote(ClientJob job, Event e);
}
