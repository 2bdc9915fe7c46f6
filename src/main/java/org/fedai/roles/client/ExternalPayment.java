package org.fedai.roles.client;

import java.util.List;
import org.fedai.domain.Msat;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.payment.Bolt11Codec;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.PaymentProof;

/**
 * The client's side of timing {@code external} (market-flow.md), as transitions: the checked invoice goes to the
 * outside payer, and the node's second copy of it, carrying the preimage its wallet showed once settled, is
 * journaled and proved to the router exactly as a preimage the client's own wallet returned.
 */
final class ExternalPayment {

    private final ClientContext peers;

    ExternalPayment(ClientContext peers) {
        this.peers = peers;
    }

    /** The node's invoice, checked like any other: to pay, or revealed as settled. */
    void onCheckedInvoice(ClientStep step, Invoice invoice) {
        if (invoice.settled()) {
            onSettled(step, invoice);
        } else {
            onInvoice(step, invoice);
        }
    }

    private void onInvoice(ClientStep step, Invoice invoice) {
        ClientJob job = step.job;
        if (job.deferred().invoice != null) {
            step.count(job.deferred().proofSent ? "invoice_already_settled" : "duplicate_invoice");
            return;
        }
        if (!peers.paysExternally()) {
            step.fail("an external job, but this client has no outside payer");
            return;
        }
        job.deferred().invoice = invoice;
        job.state = ClientJob.State.PAYING;
        step.recordState(); // a restart resumes it PAYING: waiting for the outside payer, input already sent
        step.progress("invoice of " + Msat.of(invoice.amountMsat()) + " handed to the outside payer");
        step.effect(new ClientAction.HandToOutsidePayer(invoice));
    }

    /**
     * The node's reveal: an invoice that passed the same checks as any (payee, amount, job binding, expiry), the one
     * handed on if there was one, and a preimage that hashes to its payment hash. After a restart the reveal may come
     * before the invoice it reveals: it is taken then too, since the checks say it is this job's.
     */
    private void onSettled(ClientStep step, Invoice settled) {
        ClientJob job = step.job;
        Invoice asked = job.deferred().invoice;
        if (asked != null && !asked.bolt11().equals(settled.bolt11())) {
            step.count("settled_invoice_not_asked");
            return;
        }
        if (job.deferred().proofSent) {
            return; // a reveal sent again before the work order came
        }
        String hash = Bolt11Codec.decode(settled.bolt11()).paymentHashHex();
        if (!Hex.encode(Sha256.hash(Hex.decode(settled.preimage()))).equals(hash)) {
            step.count("preimage_mismatch");
            return;
        }
        job.deferred().invoice = settled;
        Msat price = Msat.of(job.quote.nodePriceMsat());
        step.journal(new ClientAction.RecordPayment(settled.bolt11(), settled.preimage(), price));
        step.paid(settled.bolt11(), price);
        job.deferred().proofSent = true;
        job.state = ClientJob.State.PAID;
        // the proof goes out as for before: journaled PAID, republished until a relay takes it
        step.recordState();
        step.effect(new ClientAction.SendProof(List.of(new PaymentProof.Paid(settled.bolt11(), settled.preimage()))));
        step.progress("the node's wallet shows the invoice settled; proof sent to the router");
        if (job.deferred().delivered != null) {
            step.complete(job.deferred().deliveredType, job.deferred().delivered);
        }
    }

    /**
     * The whole result. A node quoted {@code run_on_payment} runs on its wallet's settlement and sends its reveal
     * beside the run, so the result can come first: it is kept until the reveal is proved, and the job ends then
     * (ended now, the job would forget the reveal and the router would never hear of the payment).
     */
    void onDelivered(ClientStep step, String outputType, String output) {
        TimingState.Deferred d = step.job.deferred();
        if (d.proofSent) {
            step.complete(outputType, output);
            return;
        }
        d.delivered = output;
        d.deliveredType = outputType;
        step.progress("result in; waiting for the node's reveal of the payment");
    }
}
