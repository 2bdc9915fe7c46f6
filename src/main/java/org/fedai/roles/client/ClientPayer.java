package org.fedai.roles.client;

import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;
import org.fedai.nostr.Hex;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.store.ClientJournal;
import org.fedai.store.InvoiceState;

/**
 * Pays invoices the client has already checked, each at most once across restarts, and never loses one it paid:
 * <ol>
 *   <li>the journal is asked first: a preimage on record means paid;</li>
 *   <li>the attempt is journaled before the wallet is asked, so a client killed while its wallet pays knows on
 *       restart which invoices may have gone out;</li>
 *   <li>a wallet that answers "already paid" or cannot tell is asked for its record (lookup): a settled payment's
 *       preimage is the proof, a held one is pending;</li>
 *   <li>the preimage is journaled before anything else happens with it.</li>
 * </ol>
 */
final class ClientPayer {

    private final PaymentBackend wallet;
    private final ClientJournal journal;
    private final InstantSource clock;

    ClientPayer(PaymentBackend wallet, ClientJournal journal, InstantSource clock) {
        this.wallet = wallet;
        this.journal = journal;
        this.clock = clock;
    }

    /**
     * Pays {@code bolt11} (or finds it paid): {@link PayResult.Paid} with its preimage journaled,
     * {@link PayResult.Pending} when the wallet holds it for a hold invoice, or why it was not paid.
     */
    PayResult pay(ClientJob job, String bolt11, long amountMsat) {
        Optional<String> earlier = earlierPreimage(bolt11);
        String hash = paymentHash(bolt11);
        if (earlier.isPresent()) {
            return new PayResult.Paid(Hex.decode(hash), Hex.decode(earlier.get()), amountMsat);
        }
        journal.recordAttempt(new ClientJournal.PaymentAttempt(job.jobId, bolt11, hash, amountMsat, now()));
        PayResult result = wallet.pay(bolt11, OptionalLong.empty());
        if (result instanceof PayResult.Failed f && (f.reason() == BackendFailure.ALREADY_PAID
                || f.reason() == BackendFailure.OUTCOME_UNKNOWN)) {
            // paid by an earlier run (or this one, its answer lost): the wallet's record decides, never a second pay
            result = recover(hash, amountMsat).orElse(result);
        }
        if (result instanceof PayResult.Paid p) {
            record(job, bolt11, Hex.encode(p.preimage()), amountMsat);
        }
        return result;
    }

    /**
     * What the wallet's own record says of an invoice this client handed it: paid (preimage), held, or nothing
     * (empty: not on record, open, or the wallet cannot tell now).
     */
    Optional<PayResult> recover(String paymentHashHex, long amountMsat) {
        byte[] hash = Hex.decode(paymentHashHex);
        if (wallet.lookup(hash) instanceof LookupResult.Found f) {
            if (f.state() == InvoiceState.SETTLED && f.preimage().isPresent()) {
                return Optional.of(new PayResult.Paid(hash, f.preimage().get(), amountMsat));
            }
            if (f.state() == InvoiceState.HELD) {
                return Optional.of(new PayResult.Pending(hash, amountMsat));
            }
        }
        return Optional.empty();
    }

    /** What paying one invoice came to: its proof entry, or why it was not paid. */
    sealed interface Attempt {
        record Paid(PaymentProof.Paid proof) implements Attempt {
        }

        record NotPaid(String reason) implements Attempt {
        }
    }

    /**
     * Pays the router's fee of a job whose node was paid on the timing's own terms (after, hold, atomic, partial),
     * once its invoice passed {@link InvoiceRules}.
     */
    Attempt payFee(ClientJob job, LightningKeyDirectory directory) {
        Quote q = job.quote;
        Optional<String> problem = InvoiceRules.check(directory, q.routerFeeInvoice(), job.router, q.routerFeeMsat(),
                job.jobId, now());
        if (problem.isPresent()) {
            return new Attempt.NotPaid(problem.get());
        }
        return switch (pay(job, q.routerFeeInvoice(), q.routerFeeMsat())) {
            case PayResult.Paid p -> new Attempt.Paid(new PaymentProof.Paid(q.routerFeeInvoice(),
                    Hex.encode(p.preimage())));
            case PayResult.Pending p -> new Attempt.NotPaid("PENDING: held by the payee, not settled");
            case PayResult.Failed f -> new Attempt.NotPaid(f.toString());
        };
    }

    /** The preimage of an invoice paid before (this run or an earlier one), if any. */
    Optional<String> earlierPreimage(String bolt11) {
        return journal.payment(bolt11).map(ClientJournal.Payment::preimage);
    }

    /** Journals a settled payment's preimage before anything else is done with it. */
    PaymentProof.Paid record(ClientJob job, String bolt11, String preimage, long amountMsat) {
        if (journal.recordPayment(new ClientJournal.Payment(job.jobId, bolt11, preimage, amountMsat), now())) {
            synchronized (job) {
                job.paidMsat += amountMsat;
            }
        }
        return new PaymentProof.Paid(bolt11, preimage);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static String paymentHash(String bolt11) {
        return Bolt11Codec.decode(bolt11).paymentHashHex();
    }
}
