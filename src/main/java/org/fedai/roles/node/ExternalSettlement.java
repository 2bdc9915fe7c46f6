package org.fedai.roles.node;

import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.domain.JobId;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.roles.node.machine.NodeEvents;
import org.fedai.roles.node.machine.NodeTiming;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;

/**
 * Timing {@code external} (market-flow.md): the invoice is paid by someone outside fedai (a NIP-90 customer), who
 * shows nobody the preimage. Once the node's own wallet shows the invoice settled, the node re-sends the invoice to
 * the client with its preimage, and the client proves it to the router as for {@code before}. The wallet's
 * settlement notice makes this quick; every sweep asks again, so a lost notice or event only delays it.
 */
final class ExternalSettlement {

    /** How often an unanswered reveal is sent again: a relay may have dropped it, or the client restarted. */
    private static final long RESEND_AFTER_SECONDS = 10;

    private final NodeJobJournal journal;
    private final NodeEvents events;
    private final NodeOutbox outbox;
    private final NodeBilling billing;
    private final InstantSource clock;
    private final Map<JobId, Long> revealedAt = new ConcurrentHashMap<>();

    ExternalSettlement(NodeJobJournal journal, NodeEvents events, NodeOutbox outbox, NodeBilling billing,
            InstantSource clock) {
        this.journal = journal;
        this.events = events;
        this.outbox = outbox;
        this.billing = billing;
        this.clock = clock;
    }

    /** The wallet says {@code paymentHash} settled: reveal it now if it is an external job's invoice. */
    void onSettled(byte[] paymentHash) {
        String hash = Hex.encode(paymentHash);
        for (NodeJob job : journal.openJobs()) {
            if (awaitingReveal(job) && job.invoice().orElseThrow().paymentHash().equals(hash)) {
                reveal(job, true);
            }
        }
    }

    /** On every sweep: invoiced external jobs still without a work order. */
    void sweep() {
        for (NodeJob job : journal.openJobs()) {
            if (awaitingReveal(job)) {
                reveal(job, false);
            }
        }
        revealedAt.keySet().removeIf(jobId -> journal.job(jobId).map(j -> !awaitingReveal(j)).orElse(true));
    }

    /** Invoiced and not yet ordered: INVOICED, or PAID or RUNNING on its wallet's settlement (run_on_payment). */
    private static boolean awaitingReveal(NodeJob job) {
        NodeJobState s = job.state();
        return NodeTiming.of(job) == NodeTiming.EXTERNAL && job.order().isEmpty() && job.invoice().isPresent()
                && (s == NodeJobState.INVOICED || s == NodeJobState.PAID || s == NodeJobState.RUNNING);
    }

    private void reveal(NodeJob job, boolean fresh) {
        long now = clock.instant().getEpochSecond();
        Long last = revealedAt.get(job.jobId());
        if (last != null && (fresh || now - last < RESEND_AFTER_SECONDS)) {
            return;
        }
        NodeJob.InvoiceRef invoice = job.invoice().orElseThrow();
        Optional<byte[]> preimage = billing.settledPreimage(invoice.paymentHash());
        if (preimage.isEmpty() || !Hex.encode(Sha256.hash(preimage.get())).equals(invoice.paymentHash())) {
            return; // not settled yet, or the wallet cannot tell now: asked again on the next sweep
        }
        revealedAt.put(job.jobId(), now);
        outbox.sendUnjournalled(events.settledInvoice(job, invoice, Hex.encode(preimage.get()), now));
    }
}
