package org.fedai.roles.client;

import java.util.ArrayList;
import java.util.List;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.payment.PayResult;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.store.ClientJournal;

/**
 * Takes a restarted client's open jobs up again from its journal (market-flow.md: "a preimage never lost").
 * Each job comes back in the state it was journaled in, with its spec rebuilt from the stored submission and
 * its quote re-read from the stored event, before the client resubscribes, so the quote, invoice, status and
 * result events the relays still hold for it (the subscription reaches back to the oldest open job) find it:
 * what each still owes the market (its spec, its input, its proof) is the machine's to send
 * ({@link ClientJobMachine}, on {@link ClientInput.Resumed}).
 * Jobs journaled before the job records existed only have their proofs re-sent, as older clients did.
 */
final class ClientRecovery {

    /** A job taken up again, as it stood in the journal. */
    record Resumed(ClientJob job, ClientJob.State journaledState) {
    }

    private final ClientSteps steps;
    private final ClientJournal journal;
    private final ClientPayer payer;
    private final RelayPort pool;
    private final KeyPair keys;
    private final List<PublicKey> routers;

    ClientRecovery(ClientSteps steps, ClientJournal journal, ClientPayer payer, RelayPort pool) {
        this.steps = steps;
        this.journal = journal;
        this.payer = payer;
        this.pool = pool;
        this.keys = steps.config().keys();
        this.routers = List.copyOf(steps.config().routers());
    }

    /** Rebuilds every resumable open job of this client's routers; unreadable records are counted and left. */
    List<Resumed> load() {
        List<Resumed> out = new ArrayList<>();
        for (ClientJournal.JobRecord record : journal.resumable()) {
            if (!routers.contains(record.router())) {
                continue; // another router's job: a client run configured with that router resumes it
            }
            try {
                out.add(rebuild(record));
            } catch (IllegalArgumentException e) {
                steps.count("journal_record_unreadable");
            }
        }
        return out;
    }

    private Resumed rebuild(ClientJournal.JobRecord record) {
        JobSubmission submission = SubmissionJson.read(record.submissionJson());
        JobRequest.Spec spec = ClientJob.specOf(submission, record.createdAt());
        ClientJob job = new ClientJob(record.jobId(), submission, spec, record.router(), record.createdAt());
        ClientJob.State journaled = ClientJob.State.valueOf(record.state());
        if (!record.quoteEventJson().isEmpty()) {
            Event event = parse(record.quoteEventJson());
            // checked when it arrived; decoded as of then, since it may have expired while the client was down
            if (QuoteCodec.decode(event, keys, event.createdAt()) instanceof Decoded.Accepted<Quote> q) {
                job.quote = q.value();
                job.quoteEventId = EventId.of(event.id());
                job.quotes = 1;
            }
        }
        // the quote is journaled before the state it moves the job to: a quote on record under SPEC_SENT is a crash
        // between the two, and the job resumes QUOTED (its input sent again), or it would wait out deliver_by
        job.state = job.quote == null ? ClientJob.State.SPEC_SENT
                : journaled == ClientJob.State.SPEC_SENT ? ClientJob.State.QUOTED : journaled;
        job.invoicePaid = job.state == ClientJob.State.PAID;
        return new Resumed(job, journaled);
    }

    /**
     * After the subscription is up: each resumed job's machine is told it was resumed, with what the journal (and
     * the wallet, for attempts the journal never heard the end of) holds paid, and sends what the job still owes.
     */
    void act(List<Resumed> resumed) {
        for (Resumed r : resumed) {
            ClientJob job = r.job();
            recoverAttempts(job);
            steps.feed(job, new ClientInput.Resumed(journal.paymentsFor(job.jobId),
                    journal.specEvent(job.jobId).map(ClientRecovery::parse)));
        }
        resendLegacyProofs();
    }

    /**
     * Invoices handed to the wallet before the crash whose preimage never reached the journal: the wallet's record
     * of a settled one is journaled now (the money went out, the proof must not be lost); a held or unknown one is
     * left for the invoice's redelivery, which asks the wallet again and never pays twice ({@link ClientPayer}).
     */
    private void recoverAttempts(ClientJob job) {
        for (ClientJournal.PaymentAttempt a : journal.unsettledAttempts(job.jobId)) {
            payer.recover(a.paymentHash(), a.amount()).ifPresent(found -> {
                if (found instanceof PayResult.Paid p) {
                    payer.record(job.jobId, a.bolt11(), Hex.encode(p.preimage()), a.amount());
                    steps.count("payment_recovered_from_wallet"); // a crash cost a lookup, not money
                }
            });
        }
    }

    private List<PaymentProof.Paid> proofs(JobId jobId) {
        return journal.paymentsFor(jobId).stream().map(p -> new PaymentProof.Paid(p.bolt11(), p.preimage())).toList();
    }

    /** Journals older than the job records hold only states and payments: prove what was paid. */
    private void resendLegacyProofs() {
        java.util.Set<JobId> full = new java.util.HashSet<>();
        journal.resumable().forEach(r -> full.add(r.jobId()));
        for (ClientJournal.OpenJob open : journal.openJobs()) {
            List<PaymentProof.Paid> paid = proofs(open.jobId());
            if (!full.contains(open.jobId()) && !paid.isEmpty() && routers.contains(open.router())) {
                pool.publish(EventSigner.sign(PaymentCodecs.encodeProof(new PaymentProof(open.jobId().hex(), paid), keys,
                        open.router().hex(), steps.now()), keys), steps.config().publishDeadline());
            }
        }
    }

    /** How far back the subscription must reach for the oldest open job's events. */
    static long since(List<Resumed> resumed, long now, long marginSeconds) {
        long oldest = resumed.stream().mapToLong(r -> r.job().createdAt).min().orElse(now);
        return Math.max(0, Math.min(oldest, now) - marginSeconds);
    }

    private static Event parse(String json) {
        try {
            return EventJson.parse(json);
        } catch (MalformedEventException e) {
            throw new IllegalArgumentException("journaled quote is not an event", e);
        }
    }

    static JobRequest.Input input(ClientJob job) {
        return new JobRequest.Input(job.jobId.hex(), job.submission.texts(), job.submission.params(), job.spec.expiresAt());
    }
}
