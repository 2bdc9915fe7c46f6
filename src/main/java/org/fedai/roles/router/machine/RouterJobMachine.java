package org.fedai.roles.router.machine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.payment.InvoiceResult;
import org.fedai.protocol.EarlyInput;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;

/**
 * The router's job state machine (event-kinds/market-flow.md), pure: {@link #on} takes an input, the job as the
 * ledger holds it and the time, and returns the job afterwards with the actions that carry the change out. It
 * reads no clock, store, relay or wallet, so every transition of every timing is a unit test.
 *
 * <p>QUOTED -(accepted)-> ACCEPTED -(proof)-> ORDERED -(metering)-> METERED, or QUOTED -(accept_by)-> QUOTED again
 * for the fallback, FAILED when none is left or the node reports an error. What differs per timing (which event
 * orders, what a proof does, whether a debt opens) is {@link RouterTiming}'s; proofs and metering records are
 * judged by {@link PaymentRules}.
 */
public final class RouterJobMachine {

    private final KeyPair keys;
    private final Duration quoteLifetime;
    private final PaymentRules payments;

    /** {@code keys}: the router's, which sign and seal what it publishes; quotes live {@code quoteLifetime}. */
    public RouterJobMachine(KeyPair keys, Duration quoteLifetime) {
        this.keys = keys;
        this.quoteLifetime = quoteLifetime;
        this.payments = new PaymentRules(keys, this::sendWorkOrder);
    }

    public Transition on(RouterInput input, RouterJob job, long nowMs) {
        Step step = new Step(job);
        switch (input) {
            case RouterInput.SpecAdmitted s -> onSpec(s, step, nowMs);
            case RouterInput.FeeInvoiced f -> onFeeInvoice(f, step, nowMs);
            case RouterInput.AcceptTimedOut t -> onAcceptTimeout(t, step, nowMs);
            case RouterInput.StatusReported s -> onStatus(s, step, nowMs);
            case RouterInput.ProofReceived p -> payments.onProof(p, step, nowMs);
            case RouterInput.ProofChecked c -> payments.onProofChecked(c, step, nowMs);
            case RouterInput.FeeSettled f -> payments.onFeeSettled(f, step, nowMs);
            case RouterInput.MeteringReceived m -> payments.onMetering(m, step, nowMs);
            case RouterInput.MeteringJournaled m -> payments.onMeteringJournaled(m, step, nowMs);
        }
        return step.transition();
    }

    /** Whether the job still waits on {@code quoteId}'s accepted: only then is a fallback worth selecting. */
    public static boolean awaitsAcceptance(RouterJob job, EventId quoteId) {
        return job.known() && job.state() == RouterJobState.QUOTED && job.row().get().activeQuoteId().equals(Optional.of(quoteId));
    }

    // ---- spec, quote, accept_by -------------------------------------------------------------------------------

    private void onSpec(RouterInput.SpecAdmitted s, Step step, long nowMs) {
        if (s.ranked().isEmpty() || step.job().known()) {
            throw new IllegalArgumentException("a spec is admitted once, with at least one offer");
        }
        Event event = s.event();
        JobId jobId = JobId.of(event.id());
        PublicKey client = PublicKey.of(event.pubkey());
        step.journal(new RouterAction.OpenJob(jobId, client, EventJson.toJson(event), nowMs / 1000));
        quote(new RouterAction.QuotePlan(jobId, client, s.spec(), s.ranked(), s.feeCredit(), s.spares()), step, nowMs);
    }

    /**
     * The node's copy first, when there is a fee: the node has no use for the fee invoice, so its own make_invoice
     * overlaps the router's instead of following it (issue 17, two relay hops with NWC wallets); the client's copy,
     * with the fee invoice, once the wallet made it, journalled with the accept_by clock. Without a fee, both at once.
     * A fallback's quote keeps the old order (both copies once the invoice is made): while the timed-out quote is
     * still in force, the fallback's accepted could not be told from a stranger's and would be lost. An input the
     * client sealed for the chosen node with its spec goes on in the node's copy.
     */
    private void quote(RouterAction.QuotePlan plan, Step step, long nowMs) {
        Offer chosen = plan.ranked().get(0);
        QuotedSpares spares = plan.spares();
        Quote terms = quoteFor(plan, nowMs);
        // the router's own fee spare: no wallet call stands between the spec and the client's copy
        Quote priced = spares.hasFee()
                ? terms.toBuilder().price(terms.nodePriceMsat(), terms.routerFeeMsat(), spares.feeInvoice()).build()
                : terms;
        Optional<EarlyInput.Forwarded> early = Optional.ofNullable(plan.spec().earlyInput())
                .flatMap(e -> e.forNode(chosen.node().hex()));
        Quote nodeQuote = early.map(e -> priced.toBuilder().earlyInput(e).build()).orElse(priced);
        Quote quote = priced;
        Event toNode = EventSigner.sign(QuoteCodec.encode(nodeQuote, keys, chosen.node().hex(), nowMs / 1000), keys);
        boolean nodeFirst = chosen.fee().isZero() || spares.hasFee() || step.job().activeQuote().isEmpty();
        if (nodeFirst) {
            step.effect(new RouterAction.Publish(toNode));
        }
        if (chosen.fee().isZero() || spares.hasFee()) {
            sendClientCopy(plan, quote, toNode, spares.feePaymentHash(), nowMs, step);
        } else {
            step.effect(new RouterAction.MakeFeeInvoice(plan, quote, toNode, nodeFirst, nowMs, chosen.fee(),
                    quoteLifetime.toSeconds()));
        }
    }

    private void onFeeInvoice(RouterInput.FeeInvoiced f, Step step, long nowMs) {
        if (!step.job().known() || step.job().ended()) {
            return;
        }
        RouterAction.MakeFeeInvoice asked = f.request();
        if (f.result() instanceof InvoiceResult.Created created) {
            Quote q = asked.quote();
            Quote withInvoice = q.toBuilder().price(q.nodePriceMsat(), q.routerFeeMsat(), created.bolt11()).build();
            sendClientCopy(asked.plan(), withInvoice, asked.nodeCopy(), Hex.encode(created.paymentHash()),
                    asked.quotedAtMs(), step);
            if (!asked.nodeCopySent()) {
                step.effect(new RouterAction.Publish(asked.nodeCopy()));
            }
        } else {
            // the node's copy is out: with no client copy to follow, it gets no input and fails at the quote's expiry;
            // the client is told at once, so that it moves to its next router instead of waiting out its quote timeout
            step.refuse(FedaiKind.QUOTE, "fee_invoice_failed", null);
            step.journal(new RouterAction.SetState(f.jobId(), RouterJobState.FAILED, "fee invoice failed: "
                    + f.result()));
            step.effect(new RouterAction.NotifyRefusal(f.jobId(), step.job().client(), "fee_invoice_failed"));
            step.effect(new RouterAction.Finished(f.jobId()));
        }
    }

    /** The quote both copies carry (the node's without the fee invoice), priced and timed now. */
    private Quote quoteFor(RouterAction.QuotePlan plan, long nowMs) {
        Offer chosen = plan.ranked().get(0);
        Optional<PublicKey> fallback = fallbackOf(plan);
        long now = nowMs / 1000;
        // an unproven node gets a short window: an honest one accepts within a relay round trip (NewcomerLimits)
        long acceptBy = Math.min(plan.spec().deliverBy(), Math.ceilDiv(nowMs + chosen.acceptWindowMs(), 1000));
        // the node may run on its own wallet's settlement when there is no fee to lose, or the client's credit covers
        // it: before work, and external work (which carries no fee) for the NIP-90 gateway's customers
        boolean runOnPayment = RouterTiming.runsOnPayment(plan.spec().timing(), chosen.fee(), plan.feeCredit());
        Quote quote = Quote.builder().jobId(plan.jobId().hex()).parties(plan.client().hex(), chosen.node().hex())
                .fallback(fallback.map(PublicKey::hex).orElse(""))
                .work(plan.spec().model(), plan.spec().task(), plan.spec().inputSha256(), plan.spec().units())
                .price(chosen.nodePrice().value(), chosen.fee().value(), "").timing(plan.spec().timing())
                .deadlines(acceptBy, plan.spec().deliverBy(), now + quoteLifetime.toSeconds())
                .runOnPayment(runOnPayment).nodeInvoice(plan.spares().nodeInvoice()).build();
        return quote;
    }

    private static Optional<PublicKey> fallbackOf(RouterAction.QuotePlan plan) {
        return plan.ranked().size() > 1 ? Optional.of(plan.ranked().get(1).node()) : Optional.empty();
    }

    /**
     * The client's copy of {@code quote}, journalled with the node's copy already out, and the accept_by clock; a
     * node status that came before it (its accepted can beat the fee invoice) goes round again now.
     */
    private void sendClientCopy(RouterAction.QuotePlan plan, Quote quote, Event toNode, String feeHash,
            long quotedAtMs, Step step) {
        Offer chosen = plan.ranked().get(0);
        Event toClient = EventSigner.sign(QuoteCodec.encode(quote, keys, plan.client().hex(), quotedAtMs / 1000), keys);
        RouterQuoteRow row = RouterQuoteRow.builder().copies(EventId.of(toClient.id()), EventId.of(toNode.id()))
                .job(plan.jobId(), plan.client(), plan.spec().timing())
                .node(chosen.node(), fallbackOf(plan), chosen.lightningPubkey(), chosen.network())
                .price(chosen.nodePrice(), chosen.fee(), quote.routerFeeInvoice(), feeHash)
                .deadlines(quote.acceptBy(), quote.deliverBy(), quote.expiresAt()).createdAtMs(quotedAtMs)
                .runOnPayment(quote.runOnPayment()).nodeInvoice(quote.nodeInvoice()).build();
        step.journal(new RouterAction.RecordQuote(row));
        step.effect(new RouterAction.Publish(toClient));
        step.count("4401:sent");
        step.effect(new RouterAction.StartAcceptClock(plan.jobId(), row.quoteId(), chosen.acceptWindowMs()));
        step.effect(new RouterAction.ReleaseParked(plan.jobId()));
    }

    private void onAcceptTimeout(RouterInput.AcceptTimedOut t, Step step, long nowMs) {
        if (!awaitsAcceptance(step.job(), t.quoteId())) {
            return; // accepted, or superseded, in the meantime
        }
        RouterJob job = step.job();
        RouterQuoteRow timedOut = job.quote(t.quoteId()).orElseThrow();
        step.effect(new RouterAction.NodeTimedOut(timedOut.node()));
        step.count("4401:accept_timeout");
        List<Offer> ranked = new ArrayList<>(t.ranked().stream()
                .filter(o -> !job.triedNodes().contains(o.node())).toList());
        if (t.spec() == null || ranked.isEmpty()) {
            step.journal(new RouterAction.SetState(job.jobId(), RouterJobState.FAILED, "no node accepted"));
            step.effect(new RouterAction.NotifyRefusal(job.jobId(), job.client(), "no_node_accepted"));
            step.count("4401:no_candidate_left");
            step.effect(new RouterAction.Finished(job.jobId()));
            return;
        }
        // the quote promised this fallback: keep the promise while it still qualifies
        ranked.stream().filter(o -> timedOut.fallback().filter(o.node()::equals).isPresent())
                .findFirst().ifPresent(o -> {
            ranked.remove(o);
            ranked.add(0, o);
        });
        // the credit the timed-out quote trusted the client with is this job's, and goes with it to the fallback
        Msat credit = timedOut.runOnPayment() ? timedOut.fee() : Msat.ZERO;
        QuotedSpares spares = QuotedSpares.NONE;
        if (RouterTiming.feePaidOnQuote(timedOut)) {
            // its client may have paid the fee already: the fallback's quote carries that fee invoice again, at that
            // fee, so the job's fee is paid once whichever node does the work (a new invoice would take it twice)
            ranked.set(0, ranked.get(0).withFee(timedOut.fee()));
            spares = new QuotedSpares("", timedOut.feeInvoice(), timedOut.feePaymentHash());
        }
        quote(new RouterAction.QuotePlan(job.jobId(), job.client(), t.spec(), ranked, credit, spares), step, nowMs);
    }

    // ---- 4405 status ------------------------------------------------------------------------------------------

    private void onStatus(RouterInput.StatusReported s, Step step, long nowMs) {
        Event event = s.event();
        if (!step.job().known() || !s.status().router().equals(keys.publicKey())) {
            step.refuse(FedaiKind.JOB_STATUS, "unknown_job", event);
            return;
        }
        if (step.job().activeQuote().isEmpty()) {
            if (step.job().ended()) {
                step.refuse(FedaiKind.JOB_STATUS, "unknown_job", event); // failed before its client's copy went out
            } else {
                step.effect(new RouterAction.ParkStatus(step.job().jobId(), event)); // its node copy beat the invoice
            }
            return;
        }
        RouterQuoteRow quote = step.job().activeQuote().orElseThrow();
        if (!event.pubkey().equals(quote.node().hex())) {
            step.refuse(FedaiKind.JOB_STATUS, "not_chosen_node", event);
            return;
        }
        switch (s.status().state()) {
            case ACCEPTED -> onAccepted(s, quote, step, nowMs);
            case INPUT_RECEIVED -> onInputReceived(s, quote, step, nowMs);
            case ERROR -> onError(s, quote, step, nowMs);
            default -> {
                // processing, partial, success: the metering record is what the ledger keeps
            }
        }
    }

    /**
     * The node took the job: the failover clock stops; free, hold and partial work is ordered at once, and before work
     * quoted with the node's spare under run_on_payment (RouterTiming#ordersSpareOnAccept), or once its fee is proved
     * (RouterTiming#ordersSpareOnFeeProof).
     */
    private void onAccepted(RouterInput.StatusReported s, RouterQuoteRow quote, Step step, long nowMs) {
        if (step.job().ended()) {
            return;
        }
        RouterTiming timing = RouterTiming.of(quote.timing());
        // the node's own word that it took the job: a non-delivery claim must cite it (4409), even when it arrives
        // after the input_received that already moved the job on
        step.journal(new RouterAction.KeepEvidence(quote.jobId(), s.event(),
                s.status().state() == JobStatus.State.INPUT_RECEIVED, timing.durability()));
        if (step.job().state() != RouterJobState.QUOTED) {
            return;
        }
        if (s.nodeSlashed()) {
            step.refuse(FedaiKind.JOB_STATUS, "slashed_node", s.event()); // quoted before its slash: no work order follows
            return;
        }
        step.effect(new RouterAction.StopAcceptClock(quote.jobId()));
        // a before job quoted with the node's spare is ordered on the spare's payment, which the node settles on it:
        // at once under run_on_payment, else once its fee is verified, which may have come first
        List<String> hashes = RouterTiming.spareHashes(quote);
        if (RouterTiming.feeProvedAndAccepted(quote, true, step.job().verifiedHashes())) {
            sendWorkOrder(quote, WorkAuthorization.PAID, hashes, step, nowMs);
            return;
        }
        timing.orderOnAccept(quote).ifPresentOrElse(
                authorization -> sendWorkOrder(quote, authorization, hashes, step, nowMs),
                () -> step.journal(new RouterAction.SetState(quote.jobId(), RouterJobState.ACCEPTED, "")));
    }

    /**
     * The node holds the client's input: kept as evidence (a non-delivery claim must cite it, 4409), and for
     * {@code after} and {@code atomic} the moment the work is ordered, since only now can the node be held to it.
     */
    private void onInputReceived(RouterInput.StatusReported s, RouterQuoteRow quote, Step step, long nowMs) {
        if (step.job().ended()) {
            return;
        }
        RouterTiming timing = RouterTiming.of(quote.timing());
        if (step.job().state() == RouterJobState.QUOTED) {
            onAccepted(s, quote, step, nowMs); // its accepted is late or lost: taking the input is accepting the job
        } else {
            step.journal(new RouterAction.KeepEvidence(quote.jobId(), s.event(), true, timing.durability()));
        }
        if (step.job().state() == RouterJobState.ACCEPTED && timing.ordersOnInput()) {
            sendWorkOrder(quote, timing.authorization(), List.of(), step, nowMs);
        }
    }

    /** The job fails, booked to the node only when it had the input; nothing is owed for undone work. */
    private void onError(RouterInput.StatusReported s, RouterQuoteRow quote, Step step, long nowMs) {
        RouterJob job = step.job();
        if (job.ended()) {
            return;
        }
        step.effect(new RouterAction.StopAcceptClock(job.jobId()));
        boolean withheld = !job.inputReceived();
        if (withheld) {
            step.count("4405:input_withheld"); // the node never had the input: the client's doing, not the node's
        } else {
            step.effect(new RouterAction.NodeFailed(quote.node()));
        }
        step.journal(new RouterAction.SetState(job.jobId(), RouterJobState.FAILED,
                (withheld ? "input withheld: " : "node error: ") + s.status().message()));
        // a held payment is refunded by the node's cancel
        step.journal(new RouterAction.ClearDebt(job.jobId(), nowMs / 1000));
        step.effect(new RouterAction.Finished(job.jobId()));
    }

    // ---- 4404 work order --------------------------------------------------------------------------------------

    /** Journals the order as claim evidence and with the debt it opens, then publishes it. */
    void sendWorkOrder(RouterQuoteRow quote, WorkAuthorization authorization, List<String> hashes, Step step,
            long nowMs) {
        long now = nowMs / 1000;
        RouterTiming timing = RouterTiming.of(quote.timing());
        WorkOrder order = new WorkOrder(quote.jobId().hex(), quote.quoteId().hex(), quote.client().hex(), authorization,
                hashes,
                quote.deliverBy());
        Event event = EventSigner.sign(PaymentCodecs.encodeWorkOrder(order, keys, quote.node().hex(), now), keys);
        RouterLedger.Debt debt = timing.opensDebt() && authorization != WorkAuthorization.PAID
                ? new RouterLedger.Debt(quote.jobId(), quote.client(), quote.nodePrice().plus(quote.fee()), now, 0)
                : null;
        step.journal(new RouterAction.KeepEvidence(quote.jobId(), event, false, timing.durability()));
        step.journal(new RouterAction.RecordWorkOrder(new RouterLedger.WorkOrderRow(quote.jobId(), quote.quoteId(),
                quote.node(), EventId.of(event.id()), authorization), now, debt, timing.durability()));
        step.effect(new RouterAction.WorkOrdered(quote.jobId()));
        step.effect(new RouterAction.Publish(event));
        step.count("4404:" + authorization.code());
        if (RouterTiming.runsBeforeOrder(quote)) {
            step.effect(new RouterAction.ReleaseParked(quote.jobId())); // a record that came before its order
        }
    }
}
