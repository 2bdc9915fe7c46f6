package org.fedai.roles.router.machine;

import java.util.List;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.nostr.Event;
import org.fedai.payment.InvoiceResult;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.PaymentProof;

/**
 * What can happen to one routed job: events the shell decoded and verified, the clock, and the answers to the
 * actions that ask the outside world something (a fee invoice, a payment check, a metering sequence number).
 * Anything a transition needs from the market (the ranked offers, whether a node is slashed, the spec re-read from
 * the ledger) comes with the input, so the machine reads nothing but its arguments.
 */
public sealed interface RouterInput {

    JobId jobId();

    /**
     * A spec the router admitted (not replayed, within policy and rate) with the nodes it may quote, best first, and
     * the client's fee credit ({@code RouterLedger.feeCredit}: what a {@code run_on_payment} quote may trust it with).
     */
    record SpecAdmitted(Event event, JobRequest.Spec spec, List<Offer> ranked, Msat feeCredit, QuotedSpares spares)
            implements RouterInput {
        public SpecAdmitted {
            ranked = List.copyOf(ranked);
        }

        /** A spec whose first quote carries no spare invoice. */
        public SpecAdmitted(Event event, JobRequest.Spec spec, List<Offer> ranked, Msat feeCredit) {
            this(event, spec, ranked, feeCredit, QuotedSpares.NONE);
        }

        @Override
        public JobId jobId() {
            return JobId.of(event.id());
        }
    }

    /** The wallet's answer to {@link RouterAction.MakeFeeInvoice}. */
    record FeeInvoiced(RouterAction.MakeFeeInvoice request, InvoiceResult result) implements RouterInput {
        @Override
        public JobId jobId() {
            return request.plan().jobId();
        }
    }

    /**
     * The quote's accept_by passed; {@code ranked} are the nodes not yet tried (empty when none is left, or when
     * {@code spec} expired and is null).
     */
    record AcceptTimedOut(JobId jobId, EventId quoteId, JobRequest.Spec spec, List<Offer> ranked)
            implements RouterInput {
        public AcceptTimedOut {
            ranked = List.copyOf(ranked);
        }
    }

    /** A 4405 from anyone but this router; {@code nodeSlashed}: the job's quoted node was slashed meanwhile. */
    record StatusReported(Event event, JobStatus status, boolean nodeSlashed) implements RouterInput {
        @Override
        public JobId jobId() {
            return JobId.of(status.jobId());
        }
    }

    /** A decoded 4403; {@code spec} is the job's spec re-read (null once expired): a partial job's parts need it. */
    record ProofReceived(Event event, PaymentProof proof, JobRequest.Spec spec) implements RouterInput {
        @Override
        public JobId jobId() {
            return JobId.of(proof.jobId());
        }
    }

    /** The payment check's verdict on {@link RouterAction.CheckPayment}. */
    record ProofChecked(RouterAction.CheckPayment request, ProofOutcome outcome) implements RouterInput {
        @Override
        public JobId jobId() {
            return request.quote().jobId();
        }
    }

    /**
     * A decoded 4407; {@code countersigned}: the ledger already holds a receipt for it. {@code spec} as for
     * proofs (a part's price follows from the spec's units, and the misrepresentation watch wants the task).
     */
    record MeteringReceived(Event event, MeteringRecord record, JobRequest.Spec spec, boolean countersigned)
            implements RouterInput {
        @Override
        public JobId jobId() {
            return JobId.of(record.jobId());
        }
    }

    /**
     * The router's own wallet reports the fee invoice under {@code paymentHash} settled for {@code amount}: its word
     * that the fee is paid, a hop before the client's proof of it.
     */
    record FeeSettled(JobId jobId, String paymentHash, Msat amount) implements RouterInput {
    }

    /** The ledger's sequence number for {@link RouterAction.AppendMetering}. */
    record MeteringJournaled(RouterAction.AppendMetering request, long seq) implements RouterInput {
        @Override
        public JobId jobId() {
            return request.jobId();
        }
    }
}
