package org.fedai.roles.node.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.Quote;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal.ProcessedEvent;
import org.fedai.store.NodeJobState;
import org.fedai.store.NodeSpares;
import org.fedai.store.Outbound;

/**
 * The market node's job state machine (event-kinds/market-flow.md, node column), pure: {@link #on} takes an input,
 * the job as the journal holds it and the time, and returns the actions that carry the change out. It reads no
 * clock, journal, relay, wallet or runner, so every transition of every timing is a unit test.
 *
 * <p>QUOTED -(quote)-> ACCEPTED -(invoice)-> INVOICED -(work order)-> PAID -(input, payment)-> RUNNING -(result)->
 * DONE, or FAILED on an error, a bad input or a deadline. What differs per timing is {@link NodeTiming}'s; the parts
 * of a {@code partial} job are {@link PartRules}'.
 */
public final class NodeJobMachine {

    /** The 4405 error reason when a job's deadline passed without the client's input. */
    public static final String INPUT_MISSING = "input_missing";
    /** A kept invoice this close to expiry is not sent with the result: the client could not pay it in time. */
    static final long KEPT_INVOICE_MARGIN_SECONDS = 60;

    private final NodeEvents events;
    private final long maxInputBytes;
    private final Supplier<byte[]> freshPreimages;
    private final PartRules parts;
    private final SettlementRules settlement;
    private final UpkeepRules upkeep;
    private final InvoicingRules invoicing;

    /**
     * {@code keys}: the node's, which sign and seal what it publishes; {@code maxInputBytes}: the largest input it
     * takes; {@code freshPreimages}: 32 random bytes per call, one per hold invoice or locked result.
     */
    public NodeJobMachine(KeyPair keys, long maxInputBytes, Supplier<byte[]> freshPreimages) {
        this.events = new NodeEvents(keys);
        this.maxInputBytes = maxInputBytes;
        this.freshPreimages = freshPreimages;
        this.parts = new PartRules(events, this);
        this.settlement = new SettlementRules(events);
        this.invoicing = new InvoicingRules(events, this, parts, freshPreimages);
        this.upkeep = new UpkeepRules(this, invoicing, parts, settlement);
    }

    public NodeTransition on(NodeInput input, NodeView view, long now) {
        NodeStep step = new NodeStep(view);
        if (input instanceof NodeInput.QuoteAdmitted q) {
            onQuote(q, step, now);
        } else if (input instanceof NodeInput.InputReceived i && !view.known()) {
            step.add(new NodeAction.ParkInput(i.event())); // its quote may still be on the way
        } else if (view.known()) {
            switch (input) {
                case NodeInput.InputReceived i -> onInput(i.event(), i.input(), false, step, now);
                case NodeInput.EarlyInputOpened i -> onInput(i.quote(), i.input(), true, step, now);
                case NodeInput.OrderAdmitted o -> onOrder(o, step, now);
                case NodeInput.Invoiced i -> invoicing.onInvoiced(i, step, now);
                case NodeInput.WalletAnswered w -> onWallet(w, step, now);
                case NodeInput.SettleAnswered s when s.asked().part() > 0 ->
                        parts.onSettled(step, s.asked(), s.settled());
                case NodeInput.SettleAnswered s -> settlement.onSettled(s, step, now);
                case NodeInput.RunFinished r -> onRunFinished(r, step, now);
                case NodeInput.PartsChanged p -> parts.advance(step, now);
                case NodeInput.Resumed r -> upkeep.onResume(step, now);
                case NodeInput.Swept s -> upkeep.onSweep(step, now);
                case NodeInput.QuoteAdmitted q -> throw new AssertionError("handled above");
            }
        }
        return step.transition();
    }

    // ---- quote, input, work order -----------------------------------------------------------------------------

    /** 4401: journal the job, publish {@code accepted}, invoice as the timing says. */
    private void onQuote(NodeInput.QuoteAdmitted in, NodeStep step, long now) {
        Event e = in.event();
        Quote q = in.quote();
        if (step.view().known()) {
            reject(step, "duplicate", e, "job " + q.jobId() + " already quoted");
            return;
        }
        JobId jobId = JobId.of(q.jobId()); // the codec checked it is an event id
        NodeJob.Terms terms = new NodeJob.Terms(EventId.of(e.id()), PublicKey.of(e.pubkey()), PublicKey.of(q.client()),
                q.model(), q.task(), q.inputSha256(), q.units(), Msat.of(q.nodePriceMsat()), q.timing(), q.acceptBy(),
                q.deliverBy(), q.expiresAt(), q.runOnPayment());
        step.add(new NodeAction.InsertQuoted(jobId, terms, processed(e, jobId), in.spare()));
        step.becomes(NodeStep.fresh(jobId, terms, in.spare().map(NodeSpares.Spare::invoice), now));
        in.spare().flatMap(NodeSpares.Spare::preimage).ifPresent(step::keptPreimage); // a hold spare's
        invoicing.accept(step, now);
        step.add(new NodeAction.ReleaseParkedInputs(jobId));
    }

    /**
     * 4400 input: only from the quote's client, only the committed texts, within the node's size limit. {@code early}:
     * it came sealed in the quote {@code e} (the client's by its seals), so there is no input event to remember.
     */
    private void onInput(Event e, JobRequest.Input input, boolean early, NodeStep step, long now) {
        NodeJob job = step.job();
        ProcessedEvent cause = early ? null : processed(e, job.jobId());
        boolean cameEarly = job.input().filter(i -> i.eventId().hex().equals(job.jobId().hex())).isPresent();
        if (!early && !e.pubkey().equals(job.terms().client().hex())) {
            reject(step, "wrong_client", e, "input for " + job.jobId() + " not from its client");
        } else if (!early && cameEarly) {
            // the client's own copy of an input that came with its spec (it is sent beside the path, in case the
            // early copy could not be opened): expected, and nothing to do, even once the job is done
            return;
        } else if (job.state().terminal()) {
            reject(step, "job_closed", e, "job " + job.jobId() + " is " + job.state());
        } else if (job.input().isPresent()) {
            reject(step, "duplicate", e, "input for " + job.jobId() + " already in hand");
        } else if (input.bytes() > maxInputBytes) {
            reject(step, "too_large", e, input.bytes() + " bytes");
            fail(step, "input of " + input.bytes() + " bytes is over this node's " + maxInputBytes, "", cause, now);
        } else if (!input.commitment().equals(job.terms().inputSha256())) {
            reject(step, "inconsistent", e, "input does not match the quoted input_sha256");
            fail(step, "input does not match the quoted input_sha256", "", cause, now);
        } else {
            // input_received: from now on the node answers for the job (4409 non_delivery cites it), not before
            NodeJob.Input kept = new NodeJob.Input(EventId.of(early ? job.jobId().hex() : e.id()), input.texts(),
                    input.params());
            step.add(new NodeAction.RecordInput(job.jobId(), kept, cause,
                    List.of(events.status(job, JobStatus.State.INPUT_RECEIVED, "", now))));
            step.add(new NodeAction.PublishOutbox());
            step.becomes(NodeStep.withInput(job, kept));
            if (job.state() == NodeJobState.PAID
                    || NodeTiming.of(job).runsWithoutOrder() && job.state() == NodeJobState.ACCEPTED) {
                startRun(step, now);
            }
        }
    }

    /** 4404, admitted by the shell (sender, replay, consistency, and for {@code before} the wallet). */
    private void onOrder(NodeInput.OrderAdmitted in, NodeStep step, long now) {
        WorkOrder o = in.order();
        NodeJob job = step.job();
        NodeJob.Order order = new NodeJob.Order(EventId.of(in.event().id()), o.authorization(), o.paymentHashes(),
                o.deliverBy());
        // free work may have run on its quote and input already: the order confirms it and moves nothing back
        boolean started = job.state() == NodeJobState.RUNNING || job.state() == NodeJobState.DONE;
        NodeJobState next = started ? job.state() : NodeJobState.PAID;
        step.add(new NodeAction.Authorize(job.jobId(), order, processed(in.event(), job.jobId()), next));
        step.becomes(NodeStep.withOrder(job, order, next, now));
        if (!started && job.input().isPresent()) {
            startRun(step, now);
        }
    }

    // ---- running ----------------------------------------------------------------------------------------------

    /** Runs the job (once) now that it is ordered and has its input: for hold, once the payment is held. */
    void startRun(NodeStep step, long now) {
        NodeJob job = step.job();
        NodeTiming timing = NodeTiming.of(job);
        if (timing.partial()) {
            parts.advance(step, now); // part by part, each once paid
        } else if (step.view().runInFlight()) {
            return;
        } else if (paidIntoHoldSpare(step) && job.state() == NodeJobState.PAID) {
            // runs on the router's order and the wallet's word that the payment is held, both; asked beside (the
            // wallet's report, which comes in the order's hop, answers at once)
            if (job.order().isPresent()) {
                step.add(new NodeAction.AskWallet(job.jobId(), NodeAction.Question.HELD_TO_RUN,
                        job.invoice().orElseThrow().paymentHash(), 0, true));
            } // else held, and the order that says the router still gives this node the job is still to come
        } else if (timing.runsOnHeldPayment() && job.state() == NodeJobState.PAID) {
            // pay on delivery: nothing runs until the client's payment is locked
            job.invoice().ifPresent(i -> step.add(new NodeAction.AskWallet(job.jobId(),
                    NodeAction.Question.HELD_TO_RUN, i.paymentHash(), 0, false)));
        } else {
            run(step, now);
        }
    }

    private void run(NodeStep step, long now) {
        start(step, now);
        NodeJob job = step.job();
        if (paidIntoHoldSpare(step)) {
            // settled as the work starts, beside it: until now the client's payment could still go back to it
            step.add(new NodeAction.Settle(job.jobId(), 0, job.invoice().orElseThrow().paymentHash(),
                    step.view().preimage().orElseThrow()));
        }
        NodeJob.Input input = job.input().orElseThrow();
        step.add(new NodeAction.Run(step.job(), 0, input.texts(), input.params()));
    }

    /** RUNNING with {@code processing}, unless it already is (a run again after a restart). */
    void start(NodeStep step, long now) {
        NodeJob job = step.job();
        if (job.state() != NodeJobState.RUNNING) {
            step.add(new NodeAction.Start(job.jobId(),
                    List.of(events.status(job, JobStatus.State.PROCESSING, "", now))));
            step.add(new NodeAction.PublishOutbox());
            step.becomes(NodeStep.started(job, now));
        }
    }

    private void onRunFinished(NodeInput.RunFinished in, NodeStep step, long now) {
        if (step.job().state() != NodeJobState.RUNNING) {
            return;
        }
        if (in.part() > 0) {
            parts.onDelivered(step, in.part(), in.outcome(), now);
            return;
        }
        switch (in.outcome()) {
            case RunOutcome.Failed f -> fail(step, f.reason(), "", null, now);
            case RunOutcome.Done d -> deliver(step, d, now);
        }
    }

    /** The result, {@code success} and metering record in one write; then what the timing owes after delivery. */
    private void deliver(NodeStep step, RunOutcome.Done d, long now) {
        NodeJob job = step.job();
        NodeTiming timing = NodeTiming.of(job);
        NodeJob.Outcome done = new NodeJob.Outcome(job.outcome().orElseThrow().startedAt(), now,
                JobResult.sha256(d.output()), d.units(), d.unit(), "");
        List<String> hashes = timing.paidBeforeWork() ? List.of(job.invoice().orElseThrow().paymentHash()) : List.of();
        // atomic: the result goes out locked under a fresh preimage, journalled with it in one transaction; or under
        // the preimage of the hold spare its quote carried, which the client holds already
        byte[] lock = timing.afterDelivery() != NodeTiming.AfterDelivery.INVOICE_LOCKED ? null
                : job.invoice().isPresent() ? step.view().preimage().map(Hex::decode).orElse(null)
                : freshPreimages.get();
        if (timing.afterDelivery() == NodeTiming.AfterDelivery.INVOICE_LOCKED && lock == null) {
            fail(step, "atomic job invoiced without its preimage", "", null, now);
            return;
        }
        List<Outbound> out = new ArrayList<>();
        try {
            out.addAll(lock == null ? events.result(job, d, now) : events.lockedResult(job, d, lock, now));
        } catch (IllegalArgumentException tooLarge) {
            fail(step, "output too large: " + tooLarge.getMessage(), "", null, now);
            return;
        }
        out.add(events.status(job, JobStatus.State.SUCCESS, "", now));
        Optional<NodeJob.InvoiceRef> kept = timing.keepsInvoiceUntilDelivery()
                ? job.invoice().filter(i -> i.expiresAt() > now + KEPT_INVOICE_MARGIN_SECONDS) : Optional.empty();
        kept.ifPresent(i -> out.add(events.invoice(job, i, now)));
        if (timing.metersAtDelivery()) {
            out.add(events.metering(job, done, hashes, now)); // hold: metered once settled, with its hash
        }
        String lockHex = lock == null ? null : Hex.encode(lock);
        step.add(new NodeAction.Finish(job.jobId(), done, lockHex, out));
        step.add(new NodeAction.PublishOutbox());
        step.becomes(NodeStep.finished(job, done, now));
        if (lockHex != null) {
            step.keptPreimage(lockHex);
        }
        if (kept.isEmpty() && timing.keepsInvoiceUntilDelivery() && job.invoice().isPresent()) {
            // kept too long (a job near the invoice's expiry): a fresh one, which replaces it and goes out at once.
            // Killed before the wallet answers, the node resumes owing the stale one, never sent: narrow, and left
            step.add(new NodeAction.MakeInvoice(job.jobId(), 0, job.terms().price(), null, NodeJobState.DONE));
        } else if (timing.runsOnHeldPayment()) {
            settlement.settleOnDelivery(step);
        } else if (kept.isEmpty()) {
            settlement.owed(step, now); // the kept invoice went out with the result: nothing is paid yet to ask about
        }
        step.add(new NodeAction.Finished(job.jobId()));
    }

    private void onWallet(NodeInput.WalletAnswered in, NodeStep step, long now) {
        NodeAction.AskWallet asked = in.asked();
        NodeJob job = step.job();
        boolean held = in.state().filter(InvoiceState.HELD::equals).isPresent();
        boolean settled = in.state().filter(InvoiceState.SETTLED::equals).isPresent();
        switch (asked.question()) {
            case HELD_TO_RUN -> {
                if (held && job.state() == NodeJobState.PAID && job.input().isPresent() && !step.view().runInFlight()
                        && (!paidIntoHoldSpare(step) || job.order().isPresent())) {
                    run(step, now);
                }
            }
            case PAID_TO_RUN -> {
                if (settled || held && paidIntoHoldSpare(step)) {
                    runOnSettlement(step, now);
                }
            }
            case PAID_PAST_EXPIRY -> {
                if (settled || held && paidIntoHoldSpare(step)) {
                    runOnSettlement(step, now);
                } else if (!job.state().terminal() && job.order().isEmpty()) {
                    upkeep.failUnauthorised(step, asked.onSweep(), now);
                } // paid: the router's work order may still come, until deliver_by
            }
            case SETTLE_AFTER_DELIVERY, PAID_AFTER_WORK -> settlement.onWallet(asked, held, settled, step, now);
            case PART_HELD -> parts.onHeld(step, asked.part(), held, now);
        }
    }

    /**
     * The wallet shows the invoice settled, or the client's payment locked in the hold spare the quote carried: a
     * run-on-payment job is PAID now, and runs if its input is in hand (a hold spare is settled as the run starts).
     */
    private void runOnSettlement(NodeStep step, long now) {
        NodeJob job = step.job();
        if (job.state() != NodeJobState.INVOICED || job.order().isPresent() || !NodeTiming.runsOnOwnSettlement(job)) {
            return; // ordered meanwhile (the order's own check ran it), or not the router's to let run early
        }
        step.add(new NodeAction.RecordPaid(job.jobId()));
        step.becomes(NodeStep.inState(job, NodeJobState.PAID, now));
        if (job.input().isPresent()) {
            startRun(step, now);
        }
    }

    // ---- failure ----------------------------------------------------------------------------------------------

    /** FAILED with its error status; {@code code}: the 4405 reason ("" for none); {@code cause} may be null. */
    void fail(NodeStep step, String reason, String code, ProcessedEvent cause, long now) {
        NodeJob job = step.job();
        NodeTiming timing = NodeTiming.of(job);
        step.add(new NodeAction.Fail(job.jobId(), reason, cause,
                List.of(events.status(job, JobStatus.State.ERROR, reason, code, now))));
        // cancelled before the client hears of the error, so that it cannot pay in between: an unpaid invoice for
        // work that will not be done, and a hold invoice even after the order (which refunds the locked payment)
        // (a run-on-payment job its wallet showed paid is PAID or RUNNING without an order: nothing to cancel)
        // and a before job's hold spare in any state: settled, it refuses the cancel; only held, the client gets it back
        boolean paidWithoutOrder = job.state() == NodeJobState.PAID || job.state() == NodeJobState.RUNNING;
        job.invoice().filter(i -> job.order().isEmpty() && !paidWithoutOrder || timing.cancelsAfterOrder()
                        || paidIntoHoldSpare(step))
                .ifPresent(i -> step.add(new NodeAction.Cancel(job.jobId(), i.paymentHash())));
        if (timing.partial()) {
            parts.cancelOpen(step);
        }
        step.add(new NodeAction.PublishOutbox());
        step.becomes(NodeStep.inState(job, NodeJobState.FAILED, now));
        step.add(new NodeAction.Finished(job.jobId()));
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private static void reject(NodeStep step, String reason, Event e, String detail) {
        step.add(new NodeAction.Reject(reason, e, detail));
    }

    /**
     * A {@code before} job whose quote carried the node's hold spare (its preimage kept with the job): the client's
     * payment is locked, not yet the node's, until the node settles it as the work starts (PaymentTiming#paidIntoHoldSpare).
     */
    static boolean paidIntoHoldSpare(NodeStep step) {
        return NodeTiming.of(step.job()).paidBeforeWork() && step.job().invoice().isPresent()
                && step.view().preimage().isPresent();
    }

    static ProcessedEvent processed(Event e, JobId jobId) {
        return new ProcessedEvent(EventId.of(e.id()), e.kind(), jobId, e.createdAt());
    }

    static String hashOf(String preimageHex) {
        return Hex.encode(Sha256.hash(Hex.decode(preimageHex)));
    }

    String freshPreimageHex() {
        return Hex.encode(freshPreimages.get());
    }
}
