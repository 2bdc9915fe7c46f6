package org.fedai.roles.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedai.nostr.Hex;
import org.fedai.payment.PayResult;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.store.ClientJournal;

/**
 * The client's side of timing {@code before} once the node's invoice is checked: the router's fee first, then the
 * node's price, each through {@link ClientPayer} (journaled before the wallet sees it, recovered from it), a wallet
 * that gives no answer asked again under the deadline ({@link PaymentRetry}), then PAID journaled and the proof
 * sent. Runs on the client's payments thread.
 */
final class BeforePayment {

    private final ClientSteps steps;
    private final ClientPayer payer;
    private final LightningKeyDirectory directory;
    private final PaymentRetry retry;
    private final ClientJournal journal;

    BeforePayment(ClientSteps steps, ClientPayer payer, LightningKeyDirectory directory, PaymentRetry retry,
            ClientJournal journal) {
        this.steps = steps;
        this.payer = payer;
        this.directory = directory;
        this.retry = retry;
        this.journal = journal;
    }

    void pay(ClientJob job, String nodeInvoice) {
        Quote q = job.quote;
        List<PaymentProof.Paid> paid = new ArrayList<>();
        if (q.routerFeeMsat() > 0) {
            // the fee first: a fee the client cannot pay is found out before the node is paid, so a failure here
            // strands nothing (paid the other way round, the node kept its price and the job was never ordered)
            Optional<String> feeProblem = InvoiceRules.check(directory, q.routerFeeInvoice(), job.router,
                    q.routerFeeMsat(), job.jobId, steps.now());
            if (feeProblem.isPresent()) {
                steps.fail(job, "payment failed: router fee: " + feeProblem.get());
                return;
            }
            if (!payStep(job, nodeInvoice, q.routerFeeInvoice(), q.routerFeeMsat(), paid)) {
                return;
            }
        }
        if (!payStep(job, nodeInvoice, nodeInvoice, q.nodePriceMsat(), paid)) {
            return;
        }
        synchronized (job) {
            job.state = ClientJob.State.PAID;
            journal.recordState(job.jobId, job.router, job.state.name(), q.node(), steps.now());
        }
        steps.progress(job.jobId, "paid " + job.paidMsat + " msat peer to peer and journaled; proving it to the"
                + " router");
        steps.sendProof(job, paid);
    }

    /**
     * Pays one invoice of a pay-before job into {@code paid}; false when it did not: the job failed, or the wallet
     * gave no answer and the whole payment is tried again later ({@link PaymentRetry}; what was paid is journaled).
     */
    private boolean payStep(ClientJob job, String nodeInvoice, String bolt11, long amountMsat,
            List<PaymentProof.Paid> paid) {
        switch (payer.pay(job, bolt11, amountMsat)) {
            case PayResult.Paid p -> {
                paid.add(new PaymentProof.Paid(bolt11, Hex.encode(p.preimage())));
                return true;
            }
            case PayResult.Pending p -> {
                // in flight (a slow route, or the wallet's answer lost): its record is asked again, never paid twice
                if (retry.later(job, () -> pay(job, nodeInvoice))) {
                    steps.progress(job.jobId, "payment in flight: asking the wallet again");
                } else {
                    steps.fail(job, "payment failed: still in flight at deliver_by");
                }
                return false;
            }
            case PayResult.Failed f -> {
                if (retry.later(job, f, () -> pay(job, nodeInvoice))) {
                    steps.progress(job.jobId, "the wallet gave no answer (" + f.reason() + "): asking again");
                } else {
                    steps.fail(job, "payment failed: " + f);
                }
                return false;
            }
        }
    }
}
