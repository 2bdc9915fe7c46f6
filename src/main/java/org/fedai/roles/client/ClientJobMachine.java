package org.fedai.roles.client;

import java.util.List;
import java.util.Optional;
import org.fedai.domain.EventId;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.Nip19;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.store.ClientJournal;

/**
 * The client's job state machine (event-kinds/market-flow.md, client column), pure: {@link #on} takes an input, the
 * job and the time, changes the job and returns the actions that carry the change out (journal writes first). It
 * reads no clock, journal, relay or wallet, so every transition of every timing is a unit test; the shell
 * ({@link ClientRole}) hands it each job on one thread, and {@link ClientEffects} carries the actions out.
 *
 * <p>SPEC_SENT -(quote)-> QUOTED -(invoice)-> PAYING -(paid)-> PAID -(result)-> DONE, or FAILED on a refusal, an
 * error or the deadline (a spec unquoted in time goes to the next router instead). What differs per timing is
 * {@link ClientFlow}'s: {@link BeforePayment}, {@link DeferredPayment}, {@link PartialPayment},
 * {@link ExternalPayment}.
 */
final class ClientJobMachine {

    private final ClientContext peers;
    private final BeforePayment before;
    private final DeferredPayment deferred;
    private final PartialPayment partial;
    private final ExternalPayment external;

    ClientJobMachine(ClientContext peers) {
        this.peers = peers;
        this.before = new BeforePayment(peers);
        this.deferred = new DeferredPayment(peers);
        this.partial = new PartialPayment(peers);
        this.external = new ExternalPayment(peers);
    }

    List<ClientAction> on(ClientInput input, ClientJob job, long nowMs) {
        ClientStep step = new ClientStep(job, nowMs);
        switch (input) {
            case ClientInput.QuoteReceived q -> onQuote(step, q.event(), q.quote());
            case ClientInput.InvoiceReceived i -> onInvoice(step, i);
            case ClientInput.StatusReceived s -> onStatus(step, s.event(), s.status());
            case ClientInput.ResultReceived r -> onResult(step, r.event(), r.part());
            case ClientInput.PayAnswered a -> onPayAnswered(step, a);
            case ClientInput.LookedUp l -> {
                if (flow(job) == ClientFlow.PARTIAL) {
                    partial.onLookedUp(step, l.asked(), l.found());
                } else if (flow(job) == ClientFlow.BEFORE) {
                    before.onLookedUp(step, l.asked(), l.found());
                } else {
                    deferred.onLookedUp(step, l.asked(), l.found());
                }
            }
            case ClientInput.RetryDue r -> onRetry(step, r.payee());
            case ClientInput.QuoteTimedOut t -> onQuoteTimeout(step, t.afterMs());
            case ClientInput.DeadlinePassed d -> onDeadline(step);
            case ClientInput.SpecRefused s -> step.fail("no relay took the job request: " + s.outcomes());
            case ClientInput.Resumed r -> onResumed(step, r.journaled(), r.spec());
        }
        return step.actions();
    }

    private static ClientFlow flow(ClientJob job) {
        return ClientFlow.of(job.quote.timing());
    }

    /**
     * Keeps an event of the quoted node that came before the quote it answers: after a restart the relays deliver
     * what they hold newest first, so the node's invoice arrives before the router's quote, and dropped it would
     * never come again. True when kept (up to {@link ClientJob#MAX_EARLY} per job).
     */
    private static boolean keptForQuote(ClientJob job, Event e) {
        return job.quote == null && job.keepEarly(e);
    }

    private void onQuote(ClientStep step, Event e, Quote q) {
        ClientJob job = step.job;
        if (job.quoteEventId != null && e.id().equals(job.quoteEventId.hex())) {
            return; // the quote acted on before a restart, delivered again
        }
        Optional<String> refusal = QuoteRules.quoteRefusal(q, e, job, peers.me());
        if (refusal.isPresent()) {
            step.count(refusal.get());
            return;
        }
        if (QuoteRules.lockedInSpare(job)) {
            before.failOver(step); // the first node's payment stays locked until it goes back: nothing more for it
        }
        job.quote = q;
        job.quoteEventId = EventId.of(e.id());
        job.quotes++;
        job.state = ClientJob.State.QUOTED;
        step.journal(new ClientAction.RecordQuote(e));
        step.recordState();
        step.progress("quoted: node " + Nip19.shortNpub(q.node()) + ", " + q.nodePriceMsat() + " msat + fee "
                + q.routerFeeMsat() + " msat" + (job.quotes > 1 ? " (failover quote " + job.quotes + ")" : ""));
        step.effect(new ClientAction.PublishInput());
        payQuotedInvoice(step);
        List<Event> early = job.takeEarly();
        if (!early.isEmpty()) {
            step.effect(new ClientAction.Replay(early)); // an invoice or status that came before this quote
        }
    }

    /**
     * A quote that carries the node's invoice (a spare the node made ahead, 4401-quote.md): paid now, beside the input,
     * instead of a hop later on the node's 4402, which does not come. Checked as a 4402's would be, except that it may
     * be bound to the router's spares; one the client may not pay fails the job, as no other invoice will follow.
     * Under hold it is paid into at once (held until the node delivers); under atomic it waits for the locked result,
     * whose lock must name its hash. Under after the node sends it back with the result, as its 4402.
     */
    private void payQuotedInvoice(ClientStep step) {
        ClientJob job = step.job;
        ClientFlow flow = flow(job);
        boolean held = job.quote.timing().paidIntoHoldInvoice();
        if (job.quote.nodeInvoice().isEmpty() || flow != ClientFlow.BEFORE && flow != ClientFlow.EXTERNAL && !held
                || job.invoicePaid || (flow == ClientFlow.EXTERNAL || held) && job.deferred().invoice != null) {
            return;
        }
        Optional<String> refusal = InvoiceRules.quotedNodeInvoiceProblem(peers, step);
        if (refusal.isPresent()) {
            step.count(refusal.get());
            step.fail("the quote's node invoice may not be paid: " + refusal.get());
            return;
        }
        Quote q = job.quote;
        Invoice quoted = new Invoice(q.jobId(), q.nodeInvoice(), q.nodePriceMsat(), 1, 1, q.expiresAt());
        if (flow == ClientFlow.EXTERNAL) {
            external.onCheckedInvoice(step, quoted); // to the outside payer now, a hop before the node's 4402 would be
        } else if (held) {
            deferred.onInvoice(step, quoted);
        } else {
            before.onCheckedInvoice(step, quoted);
        }
    }

    private void onInvoice(ClientStep step, ClientInput.InvoiceReceived in) {
        ClientJob job = step.job;
        if (keptForQuote(job, in.event())) {
            return;
        }
        Optional<String> refusal = QuoteRules.invoiceRefusal(in.invoice(), in.event(), job);
        if (refusal.isPresent()) {
            step.count(refusal.get());
            return;
        }
        Quote q = job.quote;
        ClientFlow flow = flow(job);
        if (flow == ClientFlow.PARTIAL) {
            partial.onInvoice(step, in.invoice()); // one invoice per part, each its share of the price
            return;
        }
        refusal = InvoiceRules.nodeInvoiceProblem(peers, step, in.invoice().bolt11());
        if (refusal.isPresent()) {
            step.count(refusal.get());
            return;
        }
        switch (flow) {
            case DEFERRED -> deferred.onInvoice(step, in.invoice()); // after, hold, atomic: paid on their own terms
            case EXTERNAL -> external.onCheckedInvoice(step, in.invoice()); // paid outside, proved with the reveal
            default -> before.onCheckedInvoice(step, in.invoice());
        }
    }

    private void onStatus(ClientStep step, Event e, JobStatus s) {
        ClientJob job = step.job;
        if (e.pubkey().equals(job.router.hex())) {
            onRouterStatus(step, s);
            return;
        }
        if (keptForQuote(job, e)) {
            return;
        }
        if (job.quote == null || !e.pubkey().equals(job.quote.node())) {
            step.count("status_from_unquoted_node");
            return;
        }
        step.progress("node status: " + s.state().code() + (s.message().isEmpty() ? "" : " (" + s.message() + ")"));
        if (s.state() == JobStatus.State.ERROR) {
            step.fail("node reported: " + s.message());
        }
    }

    /** A router speaks in 4405 only to refuse a job it will not route (event-kinds/4405-job-status.md). */
    private void onRouterStatus(ClientStep step, JobStatus s) {
        if (s.state() != JobStatus.State.ERROR || !s.client().equals(peers.me().hex())) {
            step.count("router_status_not_a_refusal");
            return;
        }
        String reason = s.reason().isEmpty() ? "unspecified" : s.reason();
        String detail = s.message().isEmpty() ? "" : " (" + s.message() + ")";
        if (failOver(step, "router " + Nip19.shortNpub(step.job.router.hex()) + " refused: " + reason)) {
            return; // another router may take what this one will not
        }
        step.progress("router refused the job: " + reason + detail);
        step.fail("router refused: " + reason + detail);
    }

    /** Abandons the spec for the next router if there is one and no quote came yet; true when it did. */
    private static boolean failOver(ClientStep step, String why) {
        ClientJob job = step.job;
        if (job.laterRouters.isEmpty() || job.state != ClientJob.State.SPEC_SENT) {
            return false;
        }
        job.state = ClientJob.State.FAILED; // its late quotes are refused
        job.failedOver = true;
        step.recordState();
        step.progress(why + ": trying the next router");
        step.effect(new ClientAction.TryNextRouter());
        return true;
    }

    private void onQuoteTimeout(ClientStep step, long afterMs) {
        String why = "no quote from router " + Nip19.shortNpub(step.job.router.hex()) + " within " + afterMs + " ms";
        if (!failOver(step, why) && step.job.laterRouters.isEmpty() && step.job.awaitingQuote()) {
            // the last router's silence ends the job now: waiting out deliver_by for a quote helps nobody
            step.fail(why + " (is it announced on these relays, and serving this model and timing?)");
        }
    }

    /**
     * deliver_by passed: the job fails, unless its result is in hand and only the wallet's answers (before) or the
     * node's reveal (external) were awaited: run_on_payment work runs only once the node's wallet shows it paid.
     */
    private static void onDeadline(ClientStep step) {
        TimingState state = step.job.timingState();
        boolean external = step.job.quote != null && step.job.quote.timing() == PaymentTiming.EXTERNAL;
        if (state instanceof TimingState.Before b && b.delivered != null) {
            step.complete(b.deliveredType, b.delivered);
        } else if (external && state instanceof TimingState.Deferred d && d.delivered != null) {
            step.complete(d.deliveredType, d.delivered);
        } else {
            step.fail("no result by deliver_by");
        }
    }

    private void onResult(ClientStep step, Event e, JobResult part) {
        ClientJob job = step.job;
        if (keptForQuote(job, e)) {
            return;
        }
        if (job.quote == null || !e.pubkey().equals(job.quote.node())) {
            step.count("result_from_unquoted_node");
            return;
        }
        if (job.finished() || job.parts.stream().anyMatch(p -> p.part() == part.part())) {
            return;
        }
        ClientFlow flow = flow(job);
        if (flow == ClientFlow.PARTIAL) {
            partial.onPart(step, part); // each part a whole output of its own
            return;
        }
        job.parts.add(part);
        if (job.parts.size() < part.parts()) {
            step.progress("result part " + job.parts.size() + " of " + part.parts());
            return;
        }
        if (flow == ClientFlow.DEFERRED) {
            deferred.onDelivered(step); // done once paid and proved (atomic: once opened)
            return;
        }
        if (JobProgressCodecs.assemble(job.parts) instanceof Decoded.Accepted<String> whole) {
            if (flow == ClientFlow.EXTERNAL) {
                external.onDelivered(step, part.outputType(), whole.value()); // done once the reveal is proved
                return;
            }
            if (flow == ClientFlow.BEFORE && before.holdsResult(step, part.outputType(), whole.value())) {
                return; // done once the wallet's answers are in
            }
            step.complete(part.outputType(), whole.value());
        } else {
            step.count("result_inconsistent");
            job.parts.clear();
        }
    }

    private void onPayAnswered(ClientStep step, ClientInput.PayAnswered a) {
        switch (flow(step.job)) {
            case DEFERRED -> deferred.onAnswer(step, a.asked(), a.result());
            case PARTIAL -> partial.onAnswer(step, a.asked(), a.result());
            default -> before.onAnswer(step, a.asked(), a.result());
        }
    }

    private void onRetry(ClientStep step, ClientAction.Payee payee) {
        if (step.job.finished()) {
            return;
        }
        switch (flow(step.job)) {
            case DEFERRED -> deferred.onRetry(step, payee);
            case PARTIAL -> partial.onRetry(step, payee);
            default -> before.pay(step);
        }
    }

    /**
     * A restarted client's open job, as journaled (ClientRecovery): what it still owes the market is sent again.
     * QUOTED: the input (the crash may have come before it went out). PAYING: the proof, once the journal holds every
     * invoice paid; else the node's invoice, delivered again, is checked and paid, the journal making sure nothing
     * is paid twice. PAID: the proof (a router that has it counts it as settled). SPEC_SENT: the signed spec (a
     * router that has it refuses the copy as a replay).
     */
    private void onResumed(ClientStep step, List<ClientJournal.Payment> journaled, Optional<Event> spec) {
        ClientJob job = step.job;
        journaled.forEach(p -> step.paid(p.bolt11(), p.amount()));
        List<PaymentProof.Paid> proofs = journaled.stream()
                .map(p -> new PaymentProof.Paid(p.bolt11(), p.preimage())).toList();
        switch (job.state) {
            case QUOTED -> {
                step.effect(new ClientAction.PublishInput());
                payQuotedInvoice(step);
            }
            case PAYING -> {
                int needed = job.quote.routerFeeMsat() > 0 ? 2 : 1;
                if (journaled.size() >= needed && job.paidMsat().value() >= job.quote.totalMsat()) {
                    job.invoicePaid = true;
                    job.state = ClientJob.State.PAID;
                    step.recordState();
                    step.effect(new ClientAction.SendProof(proofs));
                } else {
                    payQuotedInvoice(step); // no 4402 will be delivered again: the quote's invoice, never paid twice
                }
            }
            case PAID -> {
                if (!proofs.isEmpty()) {
                    step.effect(new ClientAction.SendProof(proofs));
                }
            }
            case SPEC_SENT -> spec.ifPresent(s -> step.effect(new ClientAction.PublishSigned(s)));
            default -> {
                // DONE and FAILED are not resumed
            }
        }
    }
}
