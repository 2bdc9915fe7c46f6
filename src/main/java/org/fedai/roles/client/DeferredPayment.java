package org.fedai.roles.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Hex;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.protocol.AtomicResult;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.store.InvoiceState;

/**
 * The client's side of the timings where the work order precedes payment (market-flow.md), as transitions:
 * {@code after} (pay the invoice that follows the result), {@code hold} (pay into the node's hold invoice at once;
 * the funds stay locked until the node settles on delivery, or come back when it cancels) and {@code atomic} (pay
 * the invoice whose hash the locked result commits to; its preimage opens the result). In each, the node's preimage
 * is journaled, the router's fee paid and the proof sent before the job counts as done, so no run of the client
 * leaves a debt behind.
 */
final class DeferredPayment {

    /** How often the wallet is asked how a held payment stands. */
    static final Duration POLL = Duration.ofMillis(200);

    private final ClientContext peers;

    DeferredPayment(ClientContext peers) {
        this.peers = peers;
    }

    /** Every part of the result is in. */
    void onDelivered(ClientStep step) {
        ClientJob job = step.job;
        JobResult first = job.parts.get(0);
        Decoded<String> whole = first.lock().isPresent() ? JobProgressCodecs.join(job.parts)
                : JobProgressCodecs.assemble(job.parts);
        if (!(whole instanceof Decoded.Accepted<String> ok)) {
            step.count("result_inconsistent");
            job.parts.clear();
            return;
        }
        TimingState.Deferred d = job.deferred();
        d.delivered = ok.value();
        d.deliveredType = first.outputType();
        d.deliveredSha256 = first.outputSha256();
        d.lock = first.lock();
        advance(step);
    }

    /** The node's invoice, already checked for payee, amount, binding and expiry. */
    void onInvoice(ClientStep step, Invoice invoice) {
        if (step.job.deferred().invoice != null) {
            step.count("duplicate_invoice");
            return;
        }
        step.job.deferred().invoice = invoice;
        advance(step);
    }

    /** Moves the job on as far as what is in hand allows. */
    private void advance(ClientStep step) {
        ClientJob job = step.job;
        TimingState.Deferred d = job.deferred();
        if (job.finished()) {
            return;
        }
        if (d.proofSent && d.delivered != null) {
            finish(step);
            return;
        }
        boolean hold = job.quote.timing() == PaymentTiming.HOLD;
        if (d.invoice == null || d.paying || (!hold && d.delivered == null)) {
            return; // after and atomic: nothing is paid before the result is in hand
        }
        if (job.quote.timing() == PaymentTiming.ATOMIC && d.lock.isPresent()
                && !paymentHash(d.invoice.bolt11()).equals(d.lock.get().paymentHash())) {
            // paying it would buy a preimage that opens nothing
            step.count("invoice_hash_not_committed");
            d.invoice = null;
            return;
        }
        d.paying = true;
        job.invoicePaid = true;
        job.state = ClientJob.State.PAYING;
        payNode(step);
        if (job.quote.timing() == PaymentTiming.AFTER && job.quote.routerFeeMsat() > 0
                && InvoiceRules.feeProblem(peers, step).isEmpty()) {
            // the result is in hand and the routing done: the fee is owed whatever becomes of the node's payment, so
            // it goes beside it rather than after it (issue 17: two relay hops with NWC wallets)
            d.feeBeside = true;
            step.payFee();
        }
    }

    private void payNode(ClientStep step) {
        step.effect(new ClientAction.Pay(ClientAction.Payee.NODE, step.job.deferred().invoice.bolt11(),
                Msat.of(step.job.quote.nodePriceMsat())));
    }

    /** A payment the wallet gave no answer to, asked again: the fee paid beside the node's is retried on its own. */
    void onRetry(ClientStep step, ClientAction.Payee payee) {
        if (payee.fee()) {
            step.payFee();
        } else {
            payNode(step);
        }
    }

    void onAnswer(ClientStep step, ClientAction.Pay asked, PayResult result) {
        if (asked.payee().fee()) {
            onFeeAnswer(step, asked, result);
            return;
        }
        switch (result) {
            case PayResult.Paid p -> settled(step, asked.bolt11(), Hex.encode(p.preimage()));
            case PayResult.Pending p -> {
                step.progress(Msat.of(p.amountMsat()) + " locked in the node's hold invoice");
                step.effect(new ClientAction.LookUpLater(asked.payee(), asked.bolt11(), asked.amount(),
                        Hex.encode(p.paymentHash()), step.job.deferred().invoice.expiresAt()));
            }
            case PayResult.Failed f -> {
                if (!PaymentRetry.later(step, f, asked.payee())) {
                    step.fail("payment failed: " + f.reason() + " " + f.detail());
                }
            }
        }
    }

    /**
     * A held payment ends when the node settles (the wallet then shows the preimage) or cancels (refunded). It is
     * watched even after the job failed on its own clock: a preimage paid for must still be journaled and proved.
     */
    void onLookedUp(ClientStep step, ClientAction.LookUpLater asked, Optional<LookupResult.Found> found) {
        watch(step, asked, found, () -> step.fail("the node cancelled the held payment: refunded"))
                .ifPresent(preimage -> settled(step, asked.bolt11(), preimage));
    }

    /**
     * One look at a held payment: a settled one's preimage, journaled by this step; a cancelled or expired one runs
     * {@code onCancelled}; an open one is looked at again until its invoice expires (empty in both cases).
     */
    static Optional<String> watch(ClientStep step, ClientAction.LookUpLater asked,
            Optional<LookupResult.Found> found, Runnable onCancelled) {
        InvoiceState state = found.map(LookupResult.Found::state).orElse(null);
        if (state == InvoiceState.SETTLED && found.get().preimage().isPresent()) {
            String preimage = Hex.encode(found.get().preimage().get());
            step.journal(new ClientAction.RecordPayment(asked.bolt11(), preimage, asked.amount()));
            step.paid(asked.bolt11(), asked.amount());
            return Optional.of(preimage);
        }
        if (state == InvoiceState.CANCELLED || state == InvoiceState.EXPIRED) {
            onCancelled.run();
        } else if (step.nowSeconds() <= asked.expiresAt()) {
            step.effect(asked);
        }
        return Optional.empty();
    }

    /** The node's preimage is journaled: pay the router's fee, then prove both. */
    private void settled(ClientStep step, String bolt11, String preimage) {
        ClientJob job = step.job;
        Quote q = job.quote;
        step.paid(bolt11, Msat.of(q.nodePriceMsat()));
        TimingState.Deferred d = job.deferred();
        d.settledPreimage = preimage;
        if (d.feeBeside) {
            if (d.feeAnswered != null) {
                prove(step, d.feeAnswered);
            } // else the fee's answer proves both when it comes
            return;
        }
        if (q.routerFeeMsat() > 0) {
            Optional<String> problem = InvoiceRules.feeProblem(peers, step);
            if (problem.isEmpty()) {
                step.payFee();
                return;
            }
            step.count("fee_" + problem.get()); // the node's payment is still proved: its work is paid for
        }
        prove(step, Optional.empty());
    }

    private void onFeeAnswer(ClientStep step, ClientAction.Pay asked, PayResult result) {
        TimingState.Deferred d = step.job.deferred();
        if (d.feeBeside && result instanceof PayResult.Failed f && PaymentRetry.later(step, f, asked.payee())) {
            return; // no answer from the wallet: the fee is asked for again, under the job's deadline
        }
        Optional<PaymentProof.Paid> fee = feeProof(step, asked, result);
        if (d.feeBeside && d.settledPreimage == null) {
            d.feeAnswered = fee; // the node's payment is still under way: proved together once it is journaled
            return;
        }
        if (d.proofSent) {
            return; // a second answer for the same fee (a resumed sequence): proved once
        }
        prove(step, fee);
    }

    /** The router's fee as a proof entry once paid; else counted as {@code fee_<why>}, and the node proved alone. */
    static Optional<PaymentProof.Paid> feeProof(ClientStep step, ClientAction.Pay asked, PayResult result) {
        switch (result) {
            case PayResult.Paid p -> {
                step.paid(asked.bolt11(), asked.amount());
                return Optional.of(new PaymentProof.Paid(asked.bolt11(), Hex.encode(p.preimage())));
            }
            case PayResult.Pending p -> step.count("fee_PENDING: held by the payee, not settled");
            case PayResult.Failed f -> step.count("fee_" + f);
        }
        return Optional.empty();
    }

    private void prove(ClientStep step, Optional<PaymentProof.Paid> fee) {
        ClientJob job = step.job;
        TimingState.Deferred d = job.deferred();
        List<PaymentProof.Paid> paid = new ArrayList<>();
        paid.add(new PaymentProof.Paid(d.invoice.bolt11(), d.settledPreimage));
        fee.ifPresent(paid::add);
        step.effect(new ClientAction.PublishProof(paid));
        step.progress("paid " + job.paidMsat() + " on " + job.quote.timing().code() + " terms; proof sent");
        d.nodePreimage = d.settledPreimage;
        d.proofSent = true;
        if (!job.finished()) {
            job.state = ClientJob.State.PAID;
        }
        advance(step);
    }

    /** Paid and proved, result in hand: open it if locked, and hand it over. */
    private void finish(ClientStep step) {
        TimingState.Deferred d = step.job.deferred();
        if (d.lock.isEmpty()) {
            step.complete(d.deliveredType, d.delivered);
            return;
        }
        switch (AtomicResult.open(d.delivered, d.lock.get(), step.job.jobId.hex(), Hex.decode(d.nodePreimage),
                d.deliveredSha256)) {
            case AtomicResult.Opened.Output o -> step.complete(d.deliveredType, o.output());
            case AtomicResult.Opened.Refused r -> {
                step.count(r.failure().code());
                // the node's signed 4406 and the preimage the payment revealed make this a provable tampering claim
                step.fail("paid, but the result " + r.failure().code() + ": " + r.detail());
            }
        }
    }

    private static String paymentHash(String bolt11) {
        try {
            return Bolt11Codec.decode(bolt11).paymentHashHex();
        } catch (RuntimeException e) {
            return "";
        }
    }
}
