package org.fedai.roles.node;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's hold invoices, for the two timings that need a preimage the node owns (market-flow.md):
 * {@code hold} (invoiced at acceptance, run once the wallet holds the client's payment, settled on delivery,
 * cancelled on failure) and {@code atomic} (the result locked under a fresh preimage, invoiced after it, settled
 * when paid, which is what hands the client the key). The preimage is journalled before any invoice names its
 * hash, and the wallet is asked rather than trusted to call back, so a restart picks up where the node stopped.
 */
final class HoldFlow {

    private static final Logger LOG = LoggerFactory.getLogger(HoldFlow.class);
    /** An open invoice this long past its expiry is no longer asked about on every sweep. */
    private static final long FORGET_AFTER_SECONDS = 3600;

    private final NodeSteps machine;
    private final NodeJobJournal journal;
    private final NodeEvents events;
    private final NodeOutbox outbox;
    private final NodeBilling billing;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();

    HoldFlow(NodeSteps machine, NodeJobJournal journal, NodeEvents events, NodeOutbox outbox,
            NodeBilling billing, InstantSource clock) {
        this.machine = machine;
        this.journal = journal;
        this.events = events;
        this.outbox = outbox;
        this.billing = billing;
        this.clock = clock;
    }

    /** A fresh 32-byte preimage: one per job, never reused, so every result key and invoice hash is new. */
    byte[] freshPreimage() {
        byte[] preimage = new byte[32];
        random.nextBytes(preimage);
        return preimage;
    }

    /** {@code hold}, at acceptance: the preimage is kept first, then the hold invoice for its hash goes out. */
    void invoiceHold(NodeJob job) {
        // the router orders hold work before the payment is locked: an ordered job keeps its state when invoiced
        NodeJobState next = job.state() == NodeJobState.PAID ? NodeJobState.PAID : NodeJobState.INVOICED;
        issue(job, journal.keepPreimage(job.jobId(), Hex.encode(freshPreimage())), next);
    }

    /** {@code hold}: the work runs only once the node's own wallet holds the client's payment. */
    boolean held(NodeJob job) {
        return job.invoice().flatMap(i -> billing.state(i.paymentHash())).filter(InvoiceState.HELD::equals)
                .isPresent();
    }

    /**
     * After DONE, and on every sweep until settled: an atomic job without its invoice gets it (the preimage was
     * journalled with the locked result); a held payment is settled and the paid metering record goes out.
     */
    void afterDone(NodeJob job) {
        String preimage = journal.preimage(job.jobId()).orElse(null);
        if (preimage == null) {
            LOG.error("job {}: {} job without its preimage", job.jobId(), job.terms().timing());
            return;
        }
        if (job.invoice().isEmpty()) {
            issue(job, preimage, NodeJobState.DONE);
            return;
        }
        NodeJob.InvoiceRef invoice = job.invoice().get();
        long now = now();
        if (now > invoice.expiresAt() + FORGET_AFTER_SECONDS) {
            return;
        }
        Optional<InvoiceState> state = billing.state(invoice.paymentHash());
        if (state.filter(s -> s == InvoiceState.HELD || s == InvoiceState.SETTLED).isEmpty()) {
            return; // not paid yet (atomic), or the wallet cannot tell now: asked again on the next sweep
        }
        if (!billing.settle(invoice.paymentHash(), Hex.decode(preimage))) {
            LOG.warn("job {}: the wallet did not settle {}", job.jobId(), invoice.paymentHash());
            return;
        }
        journal.recordSettlement(job.jobId(), now, List.of(events.metering(job, job.outcome().orElseThrow(),
                List.of(invoice.paymentHash()), now)));
        outbox.flush();
    }

    /** Settles what was delivered, and starts held jobs whose payment the wallet now holds. */
    void sweep() {
        journal.awaitingSettlement().forEach(this::afterDone);
        for (NodeJob job : journal.openJobs()) {
            if (job.holdInvoice() && job.state() == NodeJobState.PAID && job.input().isPresent() && held(job)) {
                machine.startRun(job.jobId());
            }
        }
    }

    private void issue(NodeJob job, String preimageHex, NodeJobState next) {
        long now = now();
        switch (billing.holdInvoice(job, Sha256.hash(Hex.decode(preimageHex)))) {
            case NodeBilling.Issued.Invoice i -> {
                journal.recordInvoice(job.jobId(), i.ref(), next, now, List.of(events.invoice(job, i.ref(), now)));
                outbox.flush();
            }
            case NodeBilling.Issued.Refused r -> {
                LOG.warn("job {}: wallet refused the hold invoice: {} {}", job.jobId(), r.reason(), r.detail());
                if (next != NodeJobState.DONE && !r.unanswered()) {
                    machine.fail(job, "wallet could not invoice: " + r.reason(), null);
                } // unanswered: the sweep asks again until deliver_by
            }
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
