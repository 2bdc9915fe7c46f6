package org.fedai.roles.node;

import org.fedai.nostr.Event;
import org.fedai.protocol.Rejection;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal.ProcessedEvent;
import org.fedai.store.NodeJobState;

/**
 * The transitions of the node's job machine that its flows (hold, partial, input, recovery) may ask for: the seam
 * they hold instead of the machine itself, so that each sees only what it may do to a job. Implemented by
 * {@link NodeJobMachine}; all run on the node's state thread.
 */
interface NodeSteps {

    /** Journals and publishes {@code accepted}, then invoices as the job's timing says. */
    void accept(NodeJob job);

    /** Invoices the quoted price; {@code next} is INVOICED, or DONE after pay-after-work. */
    void invoice(NodeJob job, NodeJobState next);

    /** Runs the job (once) if it is paid, ordered and has its input. */
    void startRun(String jobId);

    void fail(NodeJob job, String reason, ProcessedEvent cause);

    /** {@code code}: the error status's machine-readable reason (4405), "" for none. */
    void fail(NodeJob job, String reason, String code, ProcessedEvent cause);

    /** A flow finished the job: its outcome goes to the listeners. */
    void finished(String jobId);

    /** The node is closing: a finished run is dropped, the journal keeps the job for the next start. */
    boolean closed();

    void reject(Rejection rejection, Event e);

    void reject(String reason, Event e, String detail);

    /** The event as the journal records it having been handled for {@code jobId}. */
    ProcessedEvent processed(Event e, String jobId);

    /** The node's clock, in seconds. */
    long now();
}
