package org.fedai.roles.client;

import java.util.List;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.payment.Bolt11Codec;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.PaymentProof;

/**
 * The client's side of timing {@code external} (market-flow.md): the checked invoice goes to the outside payer,
 * and the node's second copy of it, carrying the preimage its wallet showed once settled, is journalled and proved
 * to the router exactly as a preimage the client's own wallet returned. Called under the job's monitor.
 */
final class ExternalPayment {

    private final ClientPayer payer;
    private final ClientSteps steps;
    private volatile ExternalPayer outside = ExternalPayer.NONE;

    ExternalPayment(ClientPayer payer, ClientSteps steps) {
        this.payer = payer;
        this.steps = steps;
    }

    void payer(ExternalPayer payer) {
        outside = payer;
    }

    /** The node's invoice, checked like any other: to pay, or revealed as settled. */
    void onCheckedInvoice(ClientJob job, Invoice invoice) {
        if (invoice.settled()) {
            onSettled(job, invoice);
        } else {
            onInvoice(job, invoice);
        }
    }

    private void onInvoice(ClientJob job, Invoice invoice) {
        if (job.deferred().invoice != null) {
            steps.reject(job.deferred().proofSent ? "invoice_already_settled" : "duplicate_invoice");
            return;
        }
        if (outside == ExternalPayer.NONE) {
            steps.fail(job, "an external job, but this client has no outside payer");
            return;
        }
        job.deferred().invoice = invoice;
        job.state = ClientJob.State.PAYING;
        steps.journalState(job); // a restart resumes it PAYING: waiting for the outside payer, input already sent
        steps.progress(job.jobId, "invoice of " + invoice.amountMsat() + " msat handed to the outside payer");
        outside.requestPayment(job.outcome, invoice);
    }

    /**
     * The node's reveal: an invoice that passed the same checks as any (payee, amount, job binding, expiry), the one
     * handed on if there was one, and a preimage that hashes to its payment hash. After a restart the reveal may come
     * before the invoice it reveals: it is taken then too, since the checks say it is this job's.
     */
    private void onSettled(ClientJob job, Invoice settled) {
        Invoice asked = job.deferred().invoice;
        if (asked != null && !asked.bolt11().equals(settled.bolt11())) {
            steps.reject("settled_invoice_not_asked");
            return;
        }
        if (job.deferred().proofSent) {
            return; // a reveal sent again before the work order came
        }
        String hash = Bolt11Codec.decode(settled.bolt11()).paymentHashHex();
        if (!Hex.encode(Sha256.hash(Hex.decode(settled.preimage()))).equals(hash)) {
            steps.reject("preimage_mismatch");
            return;
        }
        job.deferred().invoice = settled;
        PaymentProof.Paid paid = payer.record(job, settled.bolt11(), settled.preimage(), job.quote.nodePriceMsat());
        job.deferred().proofSent = true;
        job.state = ClientJob.State.PAID;
        // the proof goes out as for before: journalled PAID, republished until a relay takes it
        steps.journalState(job);
        steps.sendProof(job, List.of(paid));
        steps.progress(job.jobId, "the node's wallet shows the invoice settled; proof sent to the router");
    }
}
