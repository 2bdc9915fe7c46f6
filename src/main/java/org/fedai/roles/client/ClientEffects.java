package org.fedai.roles.client;

import java.util.List;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentProof;
import org.fedai.store.ClientJournal;

/**
 * Carries out what {@link ClientJobMachine} decided for a job, in the order given (its journal writes come first,
 * so nothing leaves before it is journaled), on the job thread. Whatever is answered later (a payment, a wallet
 * lookup, a delay) goes back to the machine as a {@link ClientInput} through {@link ClientSteps#feed}.
 */
final class ClientEffects {

    private final ClientSteps steps;
    private final RelayPort pool;
    private final ClientJournal journal;
    private final ClientPayer payer;
    private final ClientThreads threads;
    private final ProofDelivery proofs;
    private final HeldPaymentWatch held;
    private final OwedProofs owed = new OwedProofs();

    ClientEffects(ClientSteps steps, RelayPort pool, ClientJournal journal, ClientPayer payer, ClientThreads threads) {
        this.steps = steps;
        this.pool = pool;
        this.journal = journal;
        this.payer = payer;
        this.threads = threads;
        this.proofs = new ProofDelivery(pool, threads.timers(), steps.config().publishDeadline(), steps::count);
        this.held = new HeldPaymentWatch(steps, payer, threads);
    }

    /** From start to close: the wallet's reports of held payments settled answer the lookups waiting on them. */
    org.fedai.payment.PaymentBackend.Subscription watchHeldPayments() {
        return payer.onSent(held::onSent);
    }

    void carryOut(ClientJob job, List<ClientAction> actions) {
        // a proof owed is known before the effects run, since one of them may hand the result over and let the client
        // close at once; one paid off is forgotten only after them, once its proof's send is under way
        owed.beforeEffects(job);
        actions.forEach(action -> carryOut(job, action));
        owed.afterStep(job);
    }

    /**
     * Waits, at most {@code limit}, for the proofs of jobs whose results were handed over before their payments were
     * answered (OwedProofs); true when none is left.
     */
    boolean awaitOwedProofs(java.time.Duration limit) throws InterruptedException {
        return owed.awaitNone(limit);
    }

    private void carryOut(ClientJob job, ClientAction action) {
        var keys = steps.config().keys();
        switch (action) {
            case ClientAction.RecordQuote r -> journal.recordQuote(job.jobId, EventJson.toJson(r.quote()));
            case ClientAction.RecordState r -> journal.recordState(job.jobId, job.router, r.state().name(), r.node(),
                    steps.now());
            case ClientAction.RecordPayment r -> payer.record(job.jobId, r.bolt11(), r.preimage(), r.amount());
            case ClientAction.PublishInput p -> publish(EventSigner.sign(JobRequestCodec.encode(ClientRecovery.input(job),
                    keys, job.quote.node(), steps.now()), keys));
            case ClientAction.PublishSigned p -> publish(p.event());
            // fees and node invoices on threads of their own: a run-on-payment job pays both at once, and one invoice
            // is still never in two payments at the same time
            case ClientAction.Pay p -> (p.payee().fee() ? threads.feePayments() : threads.payments()).execute(() ->
                    steps.feed(job, new ClientInput.PayAnswered(p, payer.pay(job.jobId, p.bolt11(), p.amount()))));
            case ClientAction.LookUpLater l -> held.lookUpLater(job, l);
            case ClientAction.RetryLater r -> threads.after(r.delayMs(), () ->
                    steps.feed(job, new ClientInput.RetryDue(r.payee())));
            case ClientAction.SendProof s -> {
                owed.sending(job.jobId);
                proofs.deliver(() -> EventSigner.sign(PaymentCodecs.encodeProof(new PaymentProof(job.jobId.hex(),
                        s.paid()), keys, job.router.hex(), steps.now()), keys), () -> {
                            boolean over = job.state == ClientJob.State.FAILED;
                            if (over) {
                                owed.sent(job.jobId);
                            }
                            return over;
                        }, () -> {
                            owed.sent(job.jobId);
                            steps.progress(job.jobId, "proof taken by a relay");
                        });
            }
            case ClientAction.PublishProof p -> publish(EventSigner.sign(PaymentCodecs.encodeProof(
                    new PaymentProof(job.jobId.hex(), p.paid()), keys, job.router.hex(), steps.now()), keys));
            case ClientAction.HandToOutsidePayer h -> steps.outsidePayer().requestPayment(job.outcome, h.invoice());
            case ClientAction.Replay r -> r.events().forEach(steps::replay);
            case ClientAction.TryNextRouter t -> steps.tryNextRouter(job);
            case ClientAction.Progress p -> steps.progress(job.jobId, p.step());
            case ClientAction.Count c -> steps.count(c.reason());
            case ClientAction.Complete c -> job.outcome.complete(JobOutcome.succeeded(job, c.outputType(), c.output()));
            case ClientAction.Fail f -> job.outcome.complete(JobOutcome.failed(job, f.why()));
        }
    }

    private void publish(org.fedai.nostr.Event event) {
        pool.publish(event, steps.config().publishDeadline());
    }
}
