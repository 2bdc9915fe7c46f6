package org.fedai.roles.router;

import java.util.List;
import java.util.Optional;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.MalformedEventException;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentTiming;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.RouterJobRow;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;

/**
 * What a quoted node says of a job in 4405, and what the router does with it (event-kinds/4405-job-status.md):
 * {@code accepted} stops the failover clock (and orders free, hold and partial work), {@code input_received} is
 * kept as the evidence a claim needs (and orders after and atomic work), {@code error} fails the job, booked to
 * the node only when it had the input. Apart from {@link JobFlow}, which quotes and checks proofs.
 */
final class StatusIntake {

    /** How a refused event is counted and logged (JobFlow#refuse). */
    interface Refusals {
        void refuse(String kind, String reason, Event event);
    }

    private final RouterRole role;
    private final RouterLedger ledger;
    private final WorkOrderIssuer workOrders;
    private final Refusals refusals;

    StatusIntake(RouterRole role, WorkOrderIssuer workOrders, Refusals refusals) {
        this.role = role;
        this.ledger = role.ledger;
        this.workOrders = workOrders;
        this.refusals = refusals;
    }

    private void refuse(String kind, String reason, Event event) {
        refusals.refuse(kind, reason, event);
    }

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
            workOrders.send(quote, immediate.get(), List.of());
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
            workOrders.send(quote, WorkOrder.Authorization.forTiming(PaymentTiming.ofCode(quote.timing()).orElseThrow()),
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
                if (e.kind() == FedaiKind.JOB_STATUS.number()
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
}
