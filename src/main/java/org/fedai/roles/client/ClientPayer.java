package org.fedai.roles.client;

import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.nostr.Hex;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.payment.PaymentBackend;
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
    PayResult pay(JobId jobId, String bolt11, Msat amount) {
        Optional<String> earlier = earlierPreimage(bolt11);
        String hash = paymentHash(bolt11);
        if (earlier.isPresent()) {
            return new PayResult.Paid(Hex.decode(hash), Hex.decode(earlier.get()), amount.value());
        }
        journal.recordAttempt(new ClientJournal.PaymentAttempt(jobId, bolt11, hash, amount, now()));
        PayResult result = wallet.pay(bolt11, OptionalLong.empty());
        if (result instanceof PayResult.Failed f && (f.reason() == BackendFailure.ALREADY_PAID
                || f.reason() == BackendFailure.OUTCOME_UNKNOWN)) {
            // paid by an earlier run (or this one, its answer lost): the wallet's record decides, never a second pay
            result = recover(hash, amount).orElse(result);
        }
        if (result instanceof PayResult.Paid p) {
            record(jobId, bolt11, Hex.encode(p.preimage()), amount);
        }
        return result;
    }

    /**
     * What the wallet's own record says of an invoice this client handed it: paid (preimage), held, or nothing
     * (empty: not on record, open, or the wallet cannot tell now).
     */
    Optional<PayResult> recover(String paymentHashHex, Msat amount) {
        byte[] hash = Hex.decode(paymentHashHex);
        if (wallet.lookup(hash) instanceof LookupResult.Found f) {
            if (f.state() == InvoiceState.SETTLED && f.preimage().isPresent()) {
                return Optional.of(new PayResult.Paid(hash, f.preimage().get(), amount.value()));
            }
            if (f.state() == InvoiceState.HELD) {
                return Optional.of(new PayResult.Pending(hash, amount.value()));
            }
        }
        return Optional.empty();
    }

    /** Calls {@code listener} when the wallet reports a pending payment of ours settled. */
    org.fedai.payment.PaymentBackend.Subscription onSent(java.util.function.Consumer<org.fedai.payment.PaymentSent>
            listener) {
        return wallet.subscribeSent(listener);
    }

    /** The wallet's record of a payment by its hash; empty when it has none or cannot tell now. */
    Optional<LookupResult.Found> lookUp(String paymentHashHex) {
        return wallet.lookup(Hex.decode(paymentHashHex)) instanceof LookupResult.Found f ? Optional.of(f)
                : Optional.empty();
    }

    /** The preimage of an invoice paid before (this run or an earlier one), if any. */
    Optional<String> earlierPreimage(String bolt11) {
        return journal.payment(bolt11).map(ClientJournal.Payment::preimage);
    }

    /** Journals a settled payment's preimage before anything else is done with it. */
    void record(JobId jobId, String bolt11, String preimage, Msat amount) {
        journal.recordPayment(new ClientJournal.Payment(jobId, bolt11, preimage, amount), now());
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static String paymentHash(String bolt11) {
        return Bolt11Codec.decode(bolt11).paymentHashHex();
    }
}
