package org.fedai.roles.client;

import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.MalformedEventException;
import org.fedai.payment.PayResult;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.store.ClientJournal;

/**
 * Takes a restarted client's open jobs up again from its journal (market-flow.md: "a preimage never lost").
 * Each job comes back in the state it was journaled in, with its spec rebuilt from the stored submission and
 * its quote re-read from the stored event, before the client resubscribes, so the quote, invoice, status and
 * result events the relays still hold for it (the subscription reaches back to the oldest open job) find it:
 * <ul>
 *   <li>SPEC_SENT: sends the journaled spec again (the crash may have come before any relay had it; a router that
 *       has it refuses the copy as a replay) and waits for the quote;</li>
 *   <li>QUOTED: sends the input again (the crash may have come before it went out) and waits for the invoice;</li>
 *   <li>PAYING: every invoice whose preimage is journaled counts as paid; if all are, the proof goes out, else the
 *       node's invoice, delivered again, is checked and paid, the journal making sure nothing is paid twice;</li>
 *   <li>PAID: the proof goes out again (a router that already has it counts it as settled).</li>
 * </ul>
 * Jobs journaled before the job records existed only have their proofs re-sent, as older clients did.
 */
final class ClientRecovery {

    /** A job taken up again, as it stood in the journal. */
    record Resumed(ClientJob job, ClientJob.State journaledState) {
    }

    private final ClientSteps steps;
    private final ClientJournal journal;
    private final ClientPayer payer;
    private final KeyPair keys;
    private final List<String> routers;

    /** {@code keys} and {@code routers}: the restarted client's own, whose jobs it takes up. */
    ClientRecovery(ClientSteps steps, ClientJournal journal, ClientPayer payer, KeyPair keys, List<String> routers) {
        this.steps = steps;
        this.journal = journal;
        this.payer = payer;
        this.keys = keys;
        this.routers = List.copyOf(routers);
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
                steps.reject("journal_record_unreadable");
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
                job.quoteEventId = event.id();
                job.quotes = 1;
            }
        }
        List<ClientJournal.Payment> paid = journal.paymentsFor(job.jobId);
        job.paidMsat = paid.stream().mapToLong(ClientJournal.Payment::amountMsat).sum();
        job.state = job.quote == null ? ClientJob.State.SPEC_SENT : journaled;
        job.invoicePaid = job.state == ClientJob.State.PAID;
        return new Resumed(job, journaled);
    }

    /** After the subscription is up: sends what each resumed job still owes the market. */
    void act(List<Resumed> resumed) {
        for (Resumed r : resumed) {
            ClientJob job = r.job();
            recoverAttempts(job);
            switch (job.state) {
                case QUOTED -> steps.sendInput(job);
                case PAYING -> {
                    List<PaymentProof.Paid> paid = proofsIfComplete(job);
                    if (!paid.isEmpty()) {
                        synchronized (job) {
                            job.invoicePaid = true;
                            job.state = ClientJob.State.PAID;
                        }
                        steps.journalState(job);
                        steps.sendProof(job, paid);
                    }
                }
                case PAID -> {
                    List<PaymentProof.Paid> paid = proofs(job.jobId);
                    if (!paid.isEmpty()) {
                        steps.sendProof(job, paid);
                    }
                }
                default -> {
                    // SPEC_SENT: the quote, stored on the relays, comes back through the subscription; the spec
                    // itself is sent again (same id), since the crash may have come before any relay had it
                    journal.specEvent(job.jobId).map(ClientRecovery::parse).ifPresent(steps::publishSigned);
                }
            }
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
            payer.recover(a.paymentHash(), a.amountMsat()).ifPresent(found -> {
                if (found instanceof PayResult.Paid p) {
                    payer.record(job, a.bolt11(), Hex.encode(p.preimage()), a.amountMsat());
                    steps.count("payment_recovered_from_wallet"); // a crash cost a lookup, not money
                }
            });
        }
    }

    /** The journaled proofs when they cover the node's invoice and the router's fee, else none. */
    private List<PaymentProof.Paid> proofsIfComplete(ClientJob job) {
        List<ClientJournal.Payment> paid = journal.paymentsFor(job.jobId);
        int needed = job.quote.routerFeeMsat() > 0 ? 2 : 1;
        long covered = paid.stream().mapToLong(ClientJournal.Payment::amountMsat).sum();
        return paid.size() >= needed && covered >= job.quote.totalMsat() ? proofs(job.jobId) : List.of();
    }

    private List<PaymentProof.Paid> proofs(String jobId) {
        return journal.paymentsFor(jobId).stream().map(p -> new PaymentProof.Paid(p.bolt11(), p.preimage())).toList();
    }

    /** Journals older than the job records hold only states and payments: prove what was paid. */
    private void resendLegacyProofs() {
        java.util.Set<String> full = new java.util.HashSet<>();
        journal.resumable().forEach(r -> full.add(r.jobId()));
        for (ClientJournal.OpenJob open : journal.openJobs()) {
            List<PaymentProof.Paid> paid = proofs(open.jobId());
            if (!full.contains(open.jobId()) && !paid.isEmpty() && routers.contains(open.router())) {
                steps.publishProof(open.jobId(), open.router(), paid);
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
        return new JobRequest.Input(job.jobId, job.submission.texts(), job.submission.params(), job.spec.expiresAt());
    }
}
