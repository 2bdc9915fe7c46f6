package org.fedai.roles.node.machine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.nostr.Event;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal.ProcessedEvent;
import org.fedai.store.NodeJobState;
import org.fedai.store.NodeSpares;
import org.fedai.store.Outbound;

/**
 * What the node's job machine asks for, as data, carried out in order by the shell. {@link Journal} actions are
 * journal writes, each with the signed events it publishes, which join the outbox in the same transaction;
 * {@link PublishOutbox} sends the outbox where the machine says (a wallet call must not hold back an
 * {@code accepted}, and an invoice is cancelled before the error that ends its job goes out). Four effects ask a
 * question whose answer comes back as an input: {@link MakeInvoice}, {@link AskWallet}, {@link Settle} and
 * {@link Run}.
 */
public sealed interface NodeAction {

    /** A write to the node's journal; {@code out} joins the outbox in its transaction. */
    sealed interface Journal extends NodeAction {
        default List<Outbound> out() {
            return List.of();
        }
    }

    /**
     * {@code spare}: the node's spare invoice the quote carried, the job's invoice from the start (and a hold spare's
     * preimage the job's).
     */
    record InsertQuoted(JobId jobId, NodeJob.Terms terms, ProcessedEvent quote, Optional<NodeSpares.Spare> spare)
            implements Journal {
    }

    record Accept(JobId jobId, List<Outbound> out) implements Journal {
    }

    /** The job's invoice; {@code next}: INVOICED before work, PAID for an ordered hold job, DONE after work. */
    record RecordInvoice(JobId jobId, NodeJob.InvoiceRef invoice, NodeJobState next, List<Outbound> out)
            implements Journal {
    }

    /** The preimage of the job's hold invoice, kept before the wallet is asked for the invoice. */
    record KeepPreimage(JobId jobId, String preimageHex) implements Journal {
    }

    record RecordInput(JobId jobId, NodeJob.Input input, ProcessedEvent event, List<Outbound> out)
            implements Journal {
    }

    record Authorize(JobId jobId, NodeJob.Order order, ProcessedEvent event, NodeJobState next) implements Journal {
    }

    /** RUNNING, with {@code processing}. */
    record Start(JobId jobId, List<Outbound> out) implements Journal {
    }

    /** DONE with the result, {@code success} and (unless hold) the metering record; {@code lockedWith}: atomic. */
    record Finish(JobId jobId, NodeJob.Outcome outcome, String lockedWith, List<Outbound> out) implements Journal {
    }

    /** FAILED with its {@code error} status; {@code cause} (may be null): the event that failed it. */
    record Fail(JobId jobId, String reason, ProcessedEvent cause, List<Outbound> out) implements Journal {
    }

    /** PAID without a work order: the node's own wallet shows a run-on-payment job's invoice settled. */
    record RecordPaid(JobId jobId) implements Journal {
    }

    /** The job's invoice is paid; {@code out}: the metering record naming the payment. */
    record RecordSettlement(JobId jobId, List<Outbound> out) implements Journal {
    }

    record KeepPartPreimage(JobId jobId, int part, String preimageHex) implements Journal {
    }

    record RecordPartInvoice(JobId jobId, int part, NodeJob.InvoiceRef invoice, List<Outbound> out)
            implements Journal {
    }

    /** The part's result and metering record: never run again. */
    record DeliverPart(JobId jobId, int part, List<Outbound> out) implements Journal {
    }

    record PartSettled(JobId jobId, int part) implements Journal {
    }

    // ---- effects ----------------------------------------------------------------------------------------------

    /** Publishes what the journal holds unpublished. */
    record PublishOutbox() implements NodeAction {
    }

    /**
     * Asks the wallet for an invoice of {@code amountMsat} bound to the job: plain, or a hold invoice for
     * {@code holdHash} (64 hex; null for plain). {@code part}: 0 for the whole job. {@code next}: the state the job
     * is journalled in with the invoice, or null for an invoice {@linkplain #kept kept} for the result.
     */
    record MakeInvoice(JobId jobId, int part, Msat amount, String holdHash, NodeJobState next)
            implements NodeAction {

        /** Pay-after-work's invoice, made at acceptance and kept unsent until the result goes out. */
        static MakeInvoice kept(JobId jobId, Msat amount) {
            return new MakeInvoice(jobId, 0, amount, null, null);
        }

        /** Journalled without moving the job, sent only with the result. */
        public boolean kept() {
            return next == null;
        }
    }

    /** What the node asks its wallet about an invoice, and why. */
    enum Question {
        /** A run-on-payment job (4401 {@code run_on_payment}): is its invoice settled, so that it may run now? */
        PAID_TO_RUN,
        /** A hold job is ordered and has its input: is the client's payment held, so that it may run? */
        HELD_TO_RUN,
        /** Past the quote's expiry without a work order: was the invoice paid (then the order may still come)? */
        PAID_PAST_EXPIRY,
        /** Delivered (hold, atomic): is the payment held or paid, so that it can be settled? */
        SETTLE_AFTER_DELIVERY,
        /** Delivered (pay-after-work): is the invoice sent after the result paid? */
        PAID_AFTER_WORK,
        /** A part's payment: held, so that the part may run? */
        PART_HELD
    }

    /** {@code onSweep}: asked on the sweep rather than on a restart (their deadline errors differ). */
    record AskWallet(JobId jobId, Question question, String paymentHash, int part, boolean onSweep)
            implements NodeAction {
    }

    /** Releases a held payment with its preimage (64 hex). */
    record Settle(JobId jobId, int part, String paymentHash, String preimageHex) implements NodeAction {
    }

    /** Makes an invoice unpayable; a held payment goes back to the client. */
    record Cancel(JobId jobId, String paymentHash) implements NodeAction {
    }

    /**
     * Runs the texts through the runner as the quoted model and task (part 0: the whole job, streamed to the client
     * as it generates); {@code job}: the job as it stands, whose terms address the streamed chunks.
     */
    record Run(NodeJob job, int part, List<String> texts, Map<String, String> params) implements NodeAction {
        public Run {
            texts = List.copyOf(texts);
            params = Map.copyOf(params);
        }
    }

    /** A part's state changed: the job is looked at again ({@link NodeInput.PartsChanged}). */
    record MoveOn(JobId jobId) implements NodeAction {
    }

    /** An input whose quote has not come yet: kept a while, taken once the quote is journalled. */
    record ParkInput(Event event) implements NodeAction {
    }

    /** The quote is journalled: the inputs parked for it are taken now. */
    record ReleaseParkedInputs(JobId jobId) implements NodeAction {
    }

    /** An event the node will not act on: counted by reason (and by kind) and logged. */
    record Reject(String reason, Event event, String detail) implements NodeAction {
    }

    /** Something an operator should see in the log. */
    record Warn(String message) implements NodeAction {
    }

    /** The job ended (DONE or FAILED): its outcome goes to the listeners. */
    record Finished(JobId jobId) implements NodeAction {
    }
}
