package org.fedai.roles.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Hex;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.AtomicResult;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.store.InvoiceState;

/**
 * The client's side of the timings where the work order precedes payment (market-flow.md): {@code after} (pay
 * the invoice that follows the result), {@code hold} (pay into the node's hold invoice at once; the funds stay
 * locked until the node settles on delivery, or come back when it cancels) and {@code atomic} (pay the invoice
 * whose hash the locked result commits to; its preimage opens the result). In each, the node's preimage is
 * journalled, the router's fee paid and the proof sent before the job counts as done, so no run of the client
 * leaves a debt behind. Called under the job's monitor from ClientRole; payments run on {@code payments}.
 */
final class DeferredPayment {

    static final Duration POLL = Duration.ofMillis(200);

    private final ClientPayer payer;
    private final PaymentBackend wallet;
    private final LightningKeyDirectory directory;
    private final Executor payments;
    private final ScheduledExecutorService timers;
    private final ClientSteps steps;
    private final PaymentRetry retry;
    private final java.time.InstantSource clock;

    DeferredPayment(ClientPayer payer, PaymentBackend wallet, LightningKeyDirectory directory, Executor payments,
            ScheduledExecutorService timers, ClientSteps steps, PaymentRetry retry, java.time.InstantSource clock) {
        this.payer = payer;
        this.wallet = wallet;
        this.directory = directory;
        this.payments = payments;
        this.timers = timers;
        this.steps = steps;
        this.retry = retry;
        this.clock = clock;
    }

    /** Every part of the result is in (job monitor held). */
    void onDelivered(ClientJob job) {
        JobResult first = job.parts.get(0);
        Decoded<String> whole = first.lock().isPresent() ? JobProgressCodecs.join(job.parts)
                : JobProgressCodecs.assemble(job.parts);
        if (!(whole instanceof Decoded.Accepted<String> ok)) {
            steps.reject("result_inconsistent");
            job.parts.clear();
            return;
        }
        job.deferred().delivered = ok.value();
        job.deferred().deliveredType = first.outputType();
        job.deferred().deliveredSha256 = first.outputSha256();
        job.deferred().lock = first.lock();
        advance(job);
    }

    /** The node's invoice, already checked for payee, amount, binding and expiry (job monitor held). */
    void onInvoice(ClientJob job, org.fedai.protocol.Invoice invoice) {
        if (job.deferred().invoice != null) {
            steps.reject("duplicate_invoice");
            return;
        }
        job.deferred().invoice = invoice;
        advance(job);
    }

    /** Moves the job on as far as what is in hand allows (job monitor held). */
    private void advance(ClientJob job) {
        if (job.finished()) {
            return;
        }
        if (job.deferred().proofSent && job.deferred().delivered != null) {
            finish(job);
            return;
        }
        boolean hold = job.quote.timing() == PaymentTiming.HOLD;
        if (job.deferred().invoice == null || job.deferred().paying || (!hold && job.deferred().delivered == null)) {
            return; // after and atomic: nothing is paid before the result is in hand
        }
        if (job.quote.timing() == PaymentTiming.ATOMIC && job.deferred().lock.isPresent()
                && !paymentHash(job.deferred().invoice.bolt11()).equals(job.deferred().lock.get().paymentHash())) {
            // paying it would buy a preimage that opens nothing
            steps.reject("invoice_hash_not_committed");
            job.deferred().invoice = null;
            return;
        }
        job.deferred().paying = true;
        job.invoicePaid = true;
        job.state = ClientJob.State.PAYING;
        String bolt11 = job.deferred().invoice.bolt11();
        payments.execute(() -> pay(job, bolt11));
    }

    private void pay(ClientJob job, String bolt11) {
        switch (payer.pay(job, bolt11, job.quote.nodePriceMsat())) {
            case PayResult.Paid p -> settled(job, bolt11, Hex.encode(p.preimage()));
            case PayResult.Pending p -> {
                steps.progress(job.jobId, p.amountMsat() + " msat locked in the node's hold invoice");
                watchHeld(p.paymentHash(), job.deferred().invoice.expiresAt(),
                        preimage -> settled(job, bolt11, preimage),
                        () -> steps.fail(job, "the node cancelled the held payment: refunded"));
            }
            case PayResult.Failed f -> {
                if (!retry.later(job, f, () -> pay(job, bolt11))) {
                    steps.fail(job, "payment failed: " + f.reason() + " " + f.detail());
                }
            }
        }
    }

    /**
     * A held payment ends when the node settles (the wallet then shows the preimage) or cancels (refunded). It is
     * watched even after the job failed on its own clock: a preimage paid for must still be journalled and proved.
     */
    void watchHeld(byte[] hash, long invoiceExpiresAt, java.util.function.Consumer<String> onPreimage,
            Runnable onCancelled) {
        try {
            timers.schedule(() -> {
                LookupResult seen = wallet.lookup(hash);
                if (seen instanceof LookupResult.Found f && f.state() == InvoiceState.SETTLED
                        && f.preimage().isPresent()) {
                    payments.execute(() -> onPreimage.accept(Hex.encode(f.preimage().get())));
                } else if (seen instanceof LookupResult.Found f && (f.state() == InvoiceState.CANCELLED
                        || f.state() == InvoiceState.EXPIRED)) {
                    onCancelled.run();
                } else if (clock.instant().getEpochSecond() <= invoiceExpiresAt) {
                    watchHeld(hash, invoiceExpiresAt, onPreimage, onCancelled);
                }
            }, POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the client is closing: the payment is on the wallet's books, the next run's recovery proves it
        }
    }

    /** The node's preimage is ours: journal it, pay the router's fee, prove both, then finish. */
    private void settled(ClientJob job, String bolt11, String preimage) {
        Quote q = job.quote;
        List<PaymentProof.Paid> paid = new ArrayList<>();
        paid.add(payer.record(job, bolt11, preimage, q.nodePriceMsat()));
        if (q.routerFeeMsat() > 0) {
            switch (payer.payFee(job, directory)) {
                case ClientPayer.Attempt.Paid p -> paid.add(p.proof());
                // the node's payment is still proved: its work is paid for
                case ClientPayer.Attempt.NotPaid n -> steps.reject("fee_" + n.reason());
            }
        }
        steps.publishProof(job.jobId, job.router, paid);
        steps.progress(job.jobId, "paid " + job.paidMsat + " msat on " + q.timing().code() + " terms; proof sent");
        synchronized (job) {
            job.deferred().nodePreimage = preimage;
            job.deferred().proofSent = true;
            job.state = ClientJob.State.PAID;
            advance(job);
        }
    }

    /** Paid and proved, result in hand: open it if locked, and hand it over. */
    private void finish(ClientJob job) {
        if (job.deferred().lock.isEmpty()) {
            steps.complete(job, job.deferred().deliveredType, job.deferred().delivered);
            return;
        }
        switch (AtomicResult.open(job.deferred().delivered, job.deferred().lock.get(), job.jobId, Hex.decode(job.deferred().nodePreimage),
                job.deferred().deliveredSha256)) {
            case AtomicResult.Opened.Output o -> steps.complete(job, job.deferred().deliveredType, o.output());
            case AtomicResult.Opened.Refused r -> {
                steps.reject(r.failure().code());
                // the node's signed 4406 and the preimage the payment revealed make this a provable tampering claim
                steps.fail(job, "paid, but the result " + r.failure().code() + ": " + r.detail());
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
