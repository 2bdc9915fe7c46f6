package org.fedai.roles.router.machine;

import java.util.List;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.store.Durability;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;

/**
 * What the router's job machine asks for, as data. {@link Journal} actions are ledger writes and always come
 * first in a {@link Transition}; the rest are effects the shell carries out once they are durable. Three effects
 * ask a question whose answer comes back as an input: {@link MakeFeeInvoice}, {@link CheckPayment} and
 * {@link AppendMetering}.
 */
public sealed interface RouterAction {

    /** A write to the router's ledger. */
    sealed interface Journal extends RouterAction {
    }

    record OpenJob(JobId jobId, PublicKey client, String specEventJson, long receivedAt) implements Journal {
    }

    /** Journals the quote and makes it the job's quote in force (state QUOTED). */
    record RecordQuote(RouterQuoteRow quote) implements Journal {
    }

    record SetState(JobId jobId, RouterJobState state, String detail) implements Journal {
    }

    /** Journals the order (state ORDERED) with the debt it opens, if any (null: none). */
    record RecordWorkOrder(RouterLedger.WorkOrderRow order, long at, RouterLedger.Debt debt, Durability durability)
            implements Journal {
    }

    /** The router's fee for the job paid, on its own wallet's word (as a verified proof's fee entry is recorded). */
    record RecordFeePayment(JobId jobId, String paymentHash, Msat amount, long at) implements Journal {
    }

    record ClearDebt(JobId jobId, long at) implements Journal {
    }

    /** A signed event a later slash claim may cite; {@code inputReceipt}: it is the node's input_received. */
    record KeepEvidence(JobId jobId, Event event, boolean inputReceipt, Durability durability) implements Journal {
    }

    /**
     * Appends a checked metering record (state METERED); the ledger's sequence number comes back as
     * {@link RouterInput.MeteringJournaled}. {@code first}: the job's first record, which completes it.
     */
    record AppendMetering(JobId jobId, EventId quoteId, Event recordEvent, MeteringRecord record, boolean first,
            String task, boolean partial, long at, Durability durability) implements Journal {
    }

    record SetLatency(JobId jobId, long latencyMs) implements Journal {
    }

    record SetReceipt(EventId recordId, EventId receiptId, Durability durability) implements Journal {
    }

    // ---- effects ----------------------------------------------------------------------------------------------

    /** Publishes until a relay takes it. */
    record Publish(Event event) implements RouterAction {
    }

    /** The job, its client, its spec and the offers, best first, that a quote is about to be made from. */
    /** {@code spares}: what the quote to {@code ranked}'s first may carry (a fallback's quote carries none). */
    record QuotePlan(JobId jobId, PublicKey client, JobRequest.Spec spec, List<Offer> ranked, Msat feeCredit,
            QuotedSpares spares) {
        public QuotePlan {
            ranked = List.copyOf(ranked);
        }
    }

    /**
     * Asks the router's own wallet for the fee invoice of {@code quote}; the client's copy, with the invoice, follows
     * the answer, and {@code nodeCopy} with it unless it is out already ({@code nodeCopySent}). {@code quotedAtMs}:
     * when the quote was made.
     */
    record MakeFeeInvoice(QuotePlan plan, Quote quote, Event nodeCopy, boolean nodeCopySent, long quotedAtMs, Msat fee,
            long lifetimeSeconds) implements RouterAction {
    }

    /** A node's status for a job whose quote is not journalled yet (its client copy waits on the fee invoice). */
    record ParkStatus(JobId jobId, Event status) implements RouterAction {
    }

    /**
     * Verifies a proof's entries against the quote and spends their hashes. {@code settled}: the job was paid in
     * full before it, so every entry is checked afresh; {@code parts}: a partial job's part count, else 0.
     */
    record CheckPayment(Event event, PaymentProof proof, RouterQuoteRow quote, boolean settled, int parts)
            implements RouterAction {
    }

    record StartAcceptClock(JobId jobId, EventId quoteId, long delayMs) implements RouterAction {
    }

    record StopAcceptClock(JobId jobId) implements RouterAction {
    }

    /** An event the router will not act on: counted under {@code kind:reason} and logged. */
    record Refuse(FedaiKind kind, String reason, Event event) implements RouterAction {
    }

    /** Tells the client, in a capped 4405 error, that its job will not be routed. */
    record NotifyRefusal(JobId jobId, PublicKey client, String reason) implements RouterAction {
    }

    /** Counts something done (the role's activity counters), such as {@code 4401:sent}. */
    record Count(String key) implements RouterAction {
    }

    /** A paid metering record whose proof has not come yet: kept until one for the job verifies. */
    record ParkMetering(JobId jobId, Event record) implements RouterAction {
    }

    /** A proof for the job verified, or its quote journalled: the events parked for it are looked at again. */
    record ReleaseParked(JobId jobId) implements RouterAction {
    }

    /** What the job tells the market about its node (registry statistics, throughput, probation, listeners). */
    sealed interface Observation extends RouterAction {
    }

    record NodeTimedOut(PublicKey node) implements Observation {
    }

    record NodeFailed(PublicKey node) implements Observation {
    }

    record NodeDelivered(PublicKey node, long latencyMs) implements Observation {
    }

    /** A work order went out now: the misrepresentation watch times the node from here. */
    record WorkOrdered(JobId jobId) implements Observation {
    }

    record Metered(JobId jobId, PublicKey node, String task, long units) implements Observation {
    }

    /** The job ended, metered or failed. */
    record Finished(JobId jobId) implements Observation {
    }
}
