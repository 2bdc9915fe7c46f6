package org.fedai.roles.router;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
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
    private final WorkOrderIssuer workOrders;
    private final StatusIntake statuses;

    JobFlow(RouterRole role) {
        this.role = role;
        this.ledger = role.ledger;
        this.notices = new RefusalNotices(role);
        this.metering = new MeteringIntake(role, this, awaitingProof);
        this.workOrders = new WorkOrderIssuer(role);
        this.statuses = new StatusIntake(role, workOrders, this::refuse);
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
        statuses.onStatus(event); // accepted, input_received, error: StatusIntake
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
            workOrders.send(quote, WorkOrder.Authorization.PAID, outcome.paymentHashes());
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
