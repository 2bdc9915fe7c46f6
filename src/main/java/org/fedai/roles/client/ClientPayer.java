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
        String preimage = Hex.encode(p.preimage());
        journal.recordPayment(new ClientJournal.Payment(job.jobId, bolt11, preimage, amountMsat),
                clock.instant().getEpochSecond());
        synchronized (job) {
            job.paidMsat += amountMsat;
        }
        paid.add(new PaymentProof.Paid(bolt11, preimage));
        return null;
    }
}
