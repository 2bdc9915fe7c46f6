package org.fedai.roles.client;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.fedai.nostr.Hex;
import org.fedai.payment.PayResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.PaymentProof;
import org.fedai.store.ClientJournal;

/**
 * Pays invoices the client has already checked, each at most once across restarts: the journal is asked
 * before the wallet, and the preimage is journaled before anything else happens, so a crash right after
 * paying still leaves the proof to present.
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

    /** Adds the invoice's proof to {@code paid}; null on success, otherwise why it was not paid. */
    String payOnce(ClientJob job, String bolt11, long amountMsat, List<PaymentProof.Paid> paid) {
        Optional<ClientJournal.Payment> earlier = journal.payment(bolt11);
        if (earlier.isPresent()) {
            paid.add(new PaymentProof.Paid(bolt11, earlier.get().preimage()));
            return null;
        }
        PayResult result = wallet.pay(bolt11, OptionalLong.empty());
        if (!(result instanceof PayResult.Paid p)) {
            return result.toString();
        }
        paid.add(record(job, bolt11, Hex.encode(p.preimage()), amountMsat));
        return null;
    }

    /** The preimage of an invoice paid before (this run or an earlier one), if any. */
    Optional<String> earlierPreimage(String bolt11) {
        return journal.payment(bolt11).map(ClientJournal.Payment::preimage);
    }

    /**
     * Pays an invoice that may be a hold invoice: {@link PayResult.Pending} means the amount is locked until the
     * node settles (then the wallet's lookup shows the preimage, see {@link #record}) or cancels (refunded).
     */
    PayResult payMaybeHeld(String bolt11) {
        return wallet.pay(bolt11, OptionalLong.empty());
    }

    /** Journals a settled payment's preimage before anything else is done with it. */
    PaymentProof.Paid record(ClientJob job, String bolt11, String preimage, long amountMsat) {
        if (journal.recordPayment(new ClientJournal.Payment(job.jobId, bolt11, preimage, amountMsat),
                clock.instant().getEpochSecond())) {
            synchronized (job) {
                job.paidMsat += amountMsat;
            }
        }
        return new PaymentProof.Paid(bolt11, preimage);
    }
}
