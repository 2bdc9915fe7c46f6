package org.fedai.roles.router;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.Hex;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.Nip13;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.PaymentTiming;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.RouterJobRow;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's job state machine, one method per incoming kind (market-flow.md), run on the role's thread:
 * QUOTED -(accepted)-> ACCEPTED -(proof)-> ORDERED -(metering)-> METERED, or QUOTED -(accept_by)-> QUOTED
 * again for the fallback, FAILED when none is left or the node reports an error. Pay-after-work, hold and atomic
 * go QUOTED -(accepted)-> ORDERED with a debt that a later proof clears (waived if the node reports an error);
 * partial and free work QUOTED -(accepted)-> ORDERED without one.
 */
final class JobFlow {

    private static final Logger LOG = LoggerFactory.getLogger(JobFlow.class);

    private final RouterRole role;
    private final RouterLedger ledger;
    private final RefusalNotices notices;
    private final AwaitingProof awaitingProof = new AwaitingProof();
    private final MeteringIntake metering;

    JobFlow(RouterRole role) {
        this.role = role;
        this.ledger = role.ledger;
        this.notices = new RefusalNotices(role);
        this.metering = new MeteringIntake(role, this, awaitingProof);
    }

    // ---- 4400 spec --------------------------------------------------------------------------------------------

    void onSpec(Event event) {
        Decoded<JobRequest> decoded = JobRequestCodec.decode(event, role.config.keys(), role.nowSeconds());
        if (decoded instanceof Decoded.Rejected<JobRequest> r) {
            refuse("4400", r.rejection().reason().code(), event);
            return;
        }
        if (!(decoded.orElseThrow() instanceof JobRequest.Spec spec)) {
            refuse("4400", "not_a_spec", event);
            return;
        }
        if (!ledger.markSpecSeen(event.id(), role.nowSeconds())) {
            refuse("4400", "replay", event);
            return;
        }
        String client = event.pubkey();
        int pow = role.config.policy().powDifficulty();
        String probation = role.probationRefusal(event.id(), spec);
        boolean ownGateway = role.externalPayers.contains(client);
        if (ownGateway && "probation_share".equals(probation)) {
            // the share spreads strangers' specs over routers; this router's own NIP-90 gateway has no other router
            // to fail over to, so only the probation caps apply to it
            probation = null;
        }
        if (role.config.deniedClients().contains(client)) {
            refuseSpec("client_denied", event);
        } else if (spec.timing() == PaymentTiming.EXTERNAL && !role.externalPayers.contains(client)) {
            // fee-free, proved by the node's reveal: only for this router's own NIP-90 gateway
            refuseSpec("external_not_allowed", event);
        } else if (probation != null && ownGateway) {
            refuseSpec(probation, event); // the gateway tells its customer at once
        } else if (probation != null) {
            // silent: a router in probation answers a share of small specs only, and the client's quote timeout
            // moves it to its next router
            refuse("4400", probation, event);
        } else if (pow > 0 && !ledger.knownClient(client) && Nip13.check(event, pow) != Nip13.Check.OK) {
            // spam guard: a client this router has never metered a job for pays in work up front (NIP-13)
            refuseSpec("insufficient_pow", event);
        } else if (!role.withinRate(client)) {
            refuseSpec("rate_limited", event);
        } else if (ledger.hasOpenDebt(client)) {
            refuseSpec("unpaid_debt", event);
        } else {
            SelectionPolicy.Selection selection = select(client, spec, Set.of());
            if (selection.empty()) {
                refuseSpec(selection.refusal(), event);
                return;
            }
            ledger.openJob(event.id(), client, EventJson.toJson(event), role.nowSeconds());
            quote(event.id(), client, spec, newcomersLimited(event.id(), selection, false));
        }
    }

    private SelectionPolicy.Selection select(String client, JobRequest.Spec spec, Set<String> exclude) {
        Set<String> excluded = new HashSet<>(exclude);
        excluded.addAll(role.slashedNodes()); // a node that took paid work and delivered nothing gets no more
        return role.selection.select(new SelectionPolicy.Request(client, spec, excluded,
                role.config.policy().maxJobMsat()), role.servedLiveNodes());
    }

    /** The policy's ranking with unproven nodes held to their share and placed behind proven ones. */
    private List<SelectionPolicy.Candidate> newcomersLimited(String jobId, SelectionPolicy.Selection selection,
            boolean failover) {
        return role.newcomers.order(jobId, selection.ranked(), role.registry::stats, failover);
    }

    /** Fee invoice, journal, the two sealed copies, then the accept_by clock. */
    private void quote(String jobId, String client, JobRequest.Spec spec, List<SelectionPolicy.Candidate> ranked) {
        SelectionPolicy.Candidate chosen = ranked.get(0);
        String fallback = ranked.size() > 1 ? ranked.get(1).node().pubkey() : "";
        long nowMs = role.config.clock().millis();
        long now = nowMs / 1000;
        long lifetime = role.config.quoteLifetime().toSeconds();
        String feeInvoice = "";
        String feeHash = "";
        if (chosen.feeMsat() > 0) {
            InvoiceResult invoice = role.wallet.makeInvoice(
                    InvoiceRequest.forJob(chosen.feeMsat(), new JobBinding(jobId), lifetime));
            if (!(invoice instanceof InvoiceResult.Created created)) {
                role.counters.increment("4401:fee_invoice_failed");
                ledger.setState(jobId, RouterJobState.FAILED, "fee invoice failed: " + invoice);
                return;
            }
            feeInvoice = created.bolt11();
            feeHash = Hex.encode(created.paymentHash());
        }
        // an unproven node gets a short window: an honest one accepts within a relay round trip (NewcomerLimits)
        long acceptMs = role.newcomers.acceptTimeout(role.registry.stats(chosen.node().pubkey()),
                role.config.acceptTimeout()).toMillis();
        long acceptBy = Math.min(spec.deliverBy(), Math.ceilDiv(nowMs + acceptMs, 1000));
        Quote quote = new Quote(jobId, client, chosen.node().pubkey(), fallback, spec.model(), spec.task(),
                spec.inputSha256(), spec.units(), chosen.nodePriceMsat(), chosen.feeMsat(), feeInvoice, spec.timing(),
                acceptBy, spec.deliverBy(), now + lifetime);
        Event toClient = role.sign(QuoteCodec.encode(quote, role.config.keys(), client, now));
        Event toNode = role.sign(QuoteCodec.encode(quote, role.config.keys(), quote.node(), now));
        RouterQuoteRow row = new RouterQuoteRow(toClient.id(), toNode.id(), jobId, client, quote.node(), fallback,
                chosen.node().manifest().payment().lightningPubkey(), chosen.node().manifest().payment().network(),
                quote.nodePriceMsat(), quote.routerFeeMsat(), feeInvoice, feeHash, spec.timing().code(), acceptBy,
                spec.deliverBy(), quote.expiresAt(), nowMs);
        ledger.recordQuote(row);
        role.publish(toClient);
        role.publish(toNode);
        role.activity.increment("4401:sent");
        role.startAcceptClock(row, acceptMs);
    }

    // ---- accept_by --------------------------------------------------------------------------------------------

    void onAcceptTimeout(String jobId, String quoteId) {
        RouterJobRow job = ledger.job(jobId).orElse(null);
        if (job == null || job.state() != RouterJobState.QUOTED || !quoteId.equals(job.activeQuoteId())) {
            return; // accepted, or superseded, in the meantime
        }
        RouterQuoteRow timedOut = ledger.quote(quoteId).orElseThrow();
        role.registry.recordTimeout(timedOut.node());
        role.activity.increment("4401:accept_timeout");
        Set<String> tried = new HashSet<>();
        ledger.quotesFor(jobId).forEach(q -> tried.add(q.node()));
        JobRequest.Spec spec = respec(job);
        SelectionPolicy.Selection next = spec == null ? null : select(job.client(), spec, tried);
        if (next == null || next.empty()) {
            ledger.setState(jobId, RouterJobState.FAILED, "no node accepted");
            notices.send(jobId, job.client(), "no_node_accepted");
            role.activity.increment("4401:no_candidate_left");
            LOG.info("job {}: no node accepted and no fallback is left", jobId);
            role.outcome(jobId);
            return;
        }
        List<SelectionPolicy.Candidate> ranked = new ArrayList<>(newcomersLimited(jobId, next, true));
        // the quote promised this fallback: keep the promise while it still qualifies
        ranked.stream().filter(c -> c.node().pubkey().equals(timedOut.fallback())).findFirst().ifPresent(c -> {
            ranked.remove(c);
            ranked.add(0, c);
        });
        quote(jobId, job.client(), spec, ranked);
    }

    /** The spec again, from the event kept in the ledger; null once it has expired. */
    JobRequest.Spec respec(RouterJobRow job) {
        try {
            Decoded<JobRequest> d = JobRequestCodec.decode(EventJson.parse(job.specEventJson()), role.config.keys(),
                    role.nowSeconds());
            return d.isAccepted() && d.orElseThrow() instanceof JobRequest.Spec s ? s : null;
        } catch (MalformedEventException e) {
            return null;
        }
    }

    // ---- 4405 status ------------------------------------------------------------------------------------------

    void onStatus(Event event) {
        if (event.pubkey().equals(role.publicKey())) {
            return; // our own refusal notice, p-tagged to us as every 4405 is
        }
        Decoded<JobStatus> decoded = JobProgressCodecs.decodeStatus(event);
        if (decoded instanceof Decoded.Rejected<JobStatus> r) {
            refuse("4405", r.rejection().reason().code(), event);
            return;
        }
        JobStatus status = decoded.orElseThrow();
        RouterJobRow job = ledger.job(status.jobId()).orElse(null);
        if (!status.router().equals(role.publicKey()) || job == null) {
            refuse("4405", "unknown_job", event);
            return;
        }
        RouterQuoteRow quote = ledger.quote(job.activeQuoteId()).orElseThrow();
        if (!event.pubkey().equals(quote.node())) {
            refuse("4405", "not_chosen_node", event);
            return;
        }
        switch (status.state()) {
            case ACCEPTED -> onAccepted(event, job, quote);
            case INPUT_RECEIVED -> onInputReceived(event, job, quote);
            case ERROR -> {
                if (job.state() == RouterJobState.METERED || job.state() == RouterJobState.FAILED) {
                    return;
                }
                role.stopAcceptClock(job.jobId());
                boolean withheld = !hasInputReceipt(job.jobId());
                if (withheld) {
                    // the node never had the input: the client's doing, not a failure of the node's
                    role.activity.increment("4405:input_withheld");
                } else {
                    role.registry.recordFailure(quote.node());
                }
                ledger.setState(job.jobId(), RouterJobState.FAILED, (withheld ? "input withheld: " : "node error: ")
                        + status.message());
                // nothing is owed for undone work (a held payment is refunded by the node's cancel)
                ledger.clearDebt(job.jobId(), role.nowSeconds());
                role.outcome(job.jobId());
            }
            default -> {
                // processing, partial, success: the metering record is what the ledger keeps
            }
        }
    }

    /** The node took the job: the failover clock stops; free, hold and partial work is ordered at once. */
    private void onAccepted(Event event, RouterJobRow job, RouterQuoteRow quote) {
        if (job.state() == RouterJobState.FAILED || job.state() == RouterJobState.METERED) {
            return;
        }
        // the node's own word that it took the job: a non-delivery claim must cite it (4409), even when it arrives
        // after the input_received that already moved the job on
        ledger.keepEvidence(job.jobId(), event.id(), EventJson.toJson(event));
        if (job.state() != RouterJobState.QUOTED) {
            return;
        }
        if (role.isSlashed(quote.node())) {
            refuse("4405", "slashed_node", event); // quoted before its slash: no work order follows
            return;
        }
        role.stopAcceptClock(job.jobId());
        Optional<WorkOrder.Authorization> immediate = authorizedOnAccept(quote);
        if (immediate.isPresent()) {
            sendWorkOrder(quote, immediate.get(), List.of());
        } else {
            ledger.setState(job.jobId(), RouterJobState.ACCEPTED, "");
        }
    }

    /**
     * The node holds the client's input: kept as evidence (a non-delivery claim must cite it, 4409), and for
     * {@code after} and {@code atomic} the moment the work is ordered, since only now can the node be held to it.
     */
    private void onInputReceived(Event event, RouterJobRow job, RouterQuoteRow quote) {
        if (job.state() == RouterJobState.FAILED || job.state() == RouterJobState.METERED) {
            return;
        }
        if (job.state() == RouterJobState.QUOTED) {
            onAccepted(event, job, quote); // its accepted is late or lost: taking the input is accepting the job
            job = ledger.job(job.jobId()).orElseThrow();
        }
        ledger.keepEvidence(job.jobId(), event.id(), EventJson.toJson(event));
        if (job.state() == RouterJobState.ACCEPTED && ordersOnInput(quote)) {
            sendWorkOrder(quote, WorkOrder.Authorization.forTiming(PaymentTiming.ofCode(quote.timing()).orElseThrow()),
                    List.of());
        }
    }

    /** {@code after} and {@code atomic}: work done before any payment, so ordered only once the node has the input. */
    static boolean ordersOnInput(RouterQuoteRow quote) {
        return PaymentTiming.AFTER.code().equals(quote.timing()) || PaymentTiming.ATOMIC.code().equals(quote.timing());
    }

    /** Whether the node said (4405 {@code input_received}) that it holds the job's input. */
    private boolean hasInputReceipt(String jobId) {
        for (String json : ledger.evidence(jobId)) {
            try {
                Event e = EventJson.parse(json);
                if (e.kind() == org.fedai.protocol.FedaiKind.JOB_STATUS.number()
                        && JobProgressCodecs.decodeStatus(e) instanceof Decoded.Accepted<JobStatus> s
                        && s.value().state() == JobStatus.State.INPUT_RECEIVED) {
                    return true;
                }
            } catch (MalformedEventException ignored) {
                // unreadable evidence proves nothing
            }
        }
        return false;
    }

    /**
     * What the node's {@code accepted} authorises without a proof: the deferred timings, or free work, and free
     * only when the journalled quote priced nothing (whatever its timing says, a priced job never runs unpaid).
     */
    static Optional<WorkOrder.Authorization> authorizedOnAccept(RouterQuoteRow quote) {
        PaymentTiming timing = PaymentTiming.ofCode(quote.timing()).orElse(PaymentTiming.BEFORE);
        if (timing == PaymentTiming.FREE) {
            // only what the router itself quoted at zero: a priced job is never ordered unpaid as free
            return quote.nodePriceMsat() == 0 && quote.feeMsat() == 0
                    ? Optional.of(WorkOrder.Authorization.FREE) : Optional.empty();
        }
        // hold, partial: ordered now, the client's payment follows on the timing's own terms (nothing runs unpaid);
        // after, atomic: ordered once the node has the input (input_received), see onInputReceived
        return timing.orderedBeforeProof() && !ordersOnInput(quote)
                ? Optional.of(WorkOrder.Authorization.forTiming(timing)) : Optional.empty();
    }

    // ---- 4403 proof -------------------------------------------------------------------------------------------

    void onProof(Event event) {
        Decoded<PaymentProof> decoded = PaymentCodecs.decodeProof(event, role.config.keys(), role.nowSeconds());
        if (decoded instanceof Decoded.Rejected<PaymentProof> r) {
            refuse("4403", r.rejection().reason().code(), event);
            return;
        }
        PaymentProof proof = decoded.orElseThrow();
        RouterJobRow job = ledger.job(proof.jobId()).orElse(null);
        if (job == null || !job.client().equals(event.pubkey())) {
            refuse("4403", "unknown_job", event);
            return;
        }
        RouterQuoteRow quote = ledger.quote(job.activeQuoteId()).orElseThrow();
        if (PaymentTiming.PARTIAL.code().equals(quote.timing())) {
            onPartProof(event, proof, job, quote); // parts delivered before a failure are still owed and proved
            return;
        }
        if (job.state() == RouterJobState.FAILED) {
            refuse("4403", "job_failed", event); // nothing was ordered: the preimages are not ours to spend
            return;
        }
        if (PaymentTiming.FREE.code().equals(quote.timing())) {
            refuse("4403", "free_job", event); // nothing was invoiced: no preimage can belong to it
            return;
        }
        boolean payAfter = deferred(quote.timing());
        RouterLedger.Debt debt = ledger.debt(job.jobId()).orElse(null);
        boolean settled = payAfter ? debt != null && !debt.open() : job.state() != RouterJobState.ACCEPTED
                && job.state() != RouterJobState.QUOTED;
        if (!settled && payAfter && debt == null) {
            refuse("4403", "not_ordered", event);
            return;
        }
        if (!settled && !payAfter && job.state() != RouterJobState.ACCEPTED) {
            refuse("4403", "not_accepted", event);
            return;
        }
        if (!settled && !payAfter && role.nowSeconds() > quote.expiresAt()) {
            refuse("4403", "quote_expired", event);
            return;
        }
        PaymentCheck.Outcome outcome = role.payments.check(proof, quote, settled, role.nowSeconds());
        if (!outcome.refusal().isEmpty()) {
            refuse("4403", outcome.refusal(), event);
            return;
        }
        if (settled) {
            refuse("4403", "already_settled", event);
        } else if (!outcome.complete()) {
            refuse("4403", "incomplete", event);
        } else if (payAfter) {
            ledger.clearDebt(job.jobId(), role.nowSeconds());
            role.activity.increment("4403:debt_cleared");
        } else {
            sendWorkOrder(quote, WorkOrder.Authorization.PAID, outcome.paymentHashes());
        }
        retryParked(job.jobId());
    }

    /** {@code partial}: each part's proof is verified as it comes (the fee with the first); no order follows. */
    private void onPartProof(Event event, PaymentProof proof, RouterJobRow job, RouterQuoteRow quote) {
        if (ledger.workOrder(job.jobId()).isEmpty()) {
            refuse("4403", "not_ordered", event);
            return;
        }
        JobRequest.Spec spec = respec(job);
        if (spec == null) {
            refuse("4403", "spec_expired", event); // the part prices follow from the spec's units
            return;
        }
        PaymentCheck.Outcome outcome = role.payments.check(proof, quote, false, role.nowSeconds(), (int) spec.units());
        if (!outcome.refusal().isEmpty()) {
            refuse("4403", outcome.refusal(), event);
            return;
        }
        role.activity.increment("4403:part_verified");
        retryParked(job.jobId());
    }

    private void retryParked(String jobId) {
        awaitingProof.release(jobId).forEach(metering::onMetering);
    }

    /** Timings under which the work order precedes the proof: pay-after, hold, atomic, partial. */
    static boolean deferred(String timing) {
        return PaymentTiming.ofCode(timing).map(PaymentTiming::orderedBeforeProof).orElse(false);
    }

    private void sendWorkOrder(RouterQuoteRow quote, WorkOrder.Authorization authorization, List<String> hashes) {
        long now = role.nowSeconds();
        WorkOrder order = new WorkOrder(quote.jobId(), quote.quoteId(), quote.client(), authorization, hashes,
                quote.deliverBy());
        Event event = role.sign(PaymentCodecs.encodeWorkOrder(order, role.config.keys(), quote.node(), now));
        RouterLedger.Debt debt = authorization != WorkOrder.Authorization.PAID
                && authorization != WorkOrder.Authorization.PARTIAL // partial runs nothing unpaid: no debt
                && authorization != WorkOrder.Authorization.FREE
                ? new RouterLedger.Debt(quote.jobId(), quote.client(), quote.nodePriceMsat() + quote.feeMsat(), now, 0)
                : null;
        ledger.keepEvidence(quote.jobId(), event.id(), EventJson.toJson(event));
        role.misrepresentation.ordered(quote.jobId());
        ledger.recordWorkOrder(new RouterLedger.WorkOrderRow(quote.jobId(), quote.quoteId(), quote.node(), event.id(),
                authorization.code()), now, debt);
        role.publish(event);
        role.activity.increment("4404:" + authorization.code());
    }

    // ---- 4407 metering ----------------------------------------------------------------------------------------

    void onMetering(Event event) {
        metering.onMetering(event); // the checks and the receipt live in MeteringIntake
    }

    /** A valid spec this router will not route: counted, and the client told why (4405 error). */
    private void refuseSpec(String reason, Event event) {
        refuse("4400", reason, event);
        notices.send(event.id(), event.pubkey(), reason);
    }

    void refuse(String kind, String reason, Event event) {
        role.counters.increment(kind + ":" + reason);
        LOG.info("refused {} {} from {}: {}", kind, event.id(), event.pubkey(), reason);
    }
}
