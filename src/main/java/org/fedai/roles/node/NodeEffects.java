package org.fedai.roles.node;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.domain.JobId;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.roles.node.machine.NodeAction;
import org.fedai.roles.node.machine.NodeEvents;
import org.fedai.roles.node.machine.NodeInput;
import org.fedai.roles.node.machine.NodeTransition;
import org.fedai.roles.node.machine.RunOutcome;
import org.fedai.runner.Runner;
import org.fedai.runner.StreamChunk;
import org.fedai.runner.StreamSink;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what the node's job machine decided, action by action in its order: journal writes (each with the
 * events it publishes, in one transaction), the outbox sent where the machine says, then the wallet, the runner and
 * the counters. The one place the node's job flow touches its journal, wallet, runner and relays; the answers to
 * the machine's questions come back as inputs.
 */
final class NodeEffects {

    private static final Logger LOG = LoggerFactory.getLogger(NodeEffects.class);

    /** What a transition leads to: the answers to its questions, and parked inputs to handle again. */
    record FollowUps(List<NodeInput> inputs, List<Event> inputsAgain) {
    }

    /** Where the shell hears of what the machine decided about events and jobs. */
    interface Shell {
        void reject(String reason, Event event, String detail);

        void park(Event input);

        List<Event> releaseParked(JobId jobId);

        void finished(JobId jobId);

        /** A run came back; called on a runner thread. */
        void runFinished(JobId jobId, int part, RunOutcome outcome);

        /** A wallet call made off the state thread came back; called on the wallet thread. */
        void answered(JobId jobId, NodeInput answer);

        boolean closed();
    }

    private final NodeWrites writes;
    private final NodeBilling billing;
    private final NodeOutbox outbox;
    private final NodeEvents events;
    private final Runner runner;
    private final Executor workers;
    private final Executor walletCalls;
    private final Set<String> asking = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<JobId> running;
    private final Shell shell;
    private final InstantSource clock;

    NodeEffects(NodeJobJournal journal, NodeBilling billing, NodeOutbox outbox, NodeEvents events, Runner runner,
            Executor workers, Executor walletCalls, Set<JobId> running, Shell shell, InstantSource clock) {
        this.writes = new NodeWrites(journal);
        this.billing = billing;
        this.outbox = outbox;
        this.events = events;
        this.runner = runner;
        this.workers = workers;
        this.walletCalls = walletCalls;
        this.running = running;
        this.shell = shell;
        this.clock = clock;
    }

    /** {@code now}: the time the machine was given, so the journal and the events it signed agree. */
    FollowUps carryOut(NodeTransition transition, long now) {
        List<NodeInput> inputs = new ArrayList<>();
        List<Event> again = new ArrayList<>();
        for (NodeAction action : transition.actions()) {
            if (action instanceof NodeAction.Journal write) {
                writes.apply(write, now);
            } else {
                effect(action, inputs, again);
            }
        }
        return new FollowUps(inputs, again);
    }

    private void effect(NodeAction action, List<NodeInput> inputs, List<Event> again) {
        switch (action) {
            case NodeAction.PublishOutbox p -> outbox.flush();
            case NodeAction.MakeInvoice m when m.kept() -> inBackground(m.jobId(), () -> invoiced(m));
            // a part's hold invoice (its preimage kept by this transition's writes): the next part's is asked for
            // with the current one's, both at once, and a sweep that comes round before the answer asks nothing
            case NodeAction.MakeInvoice m when m.part() > 0 -> onceInBackground(m.jobId(),
                    m.jobId().hex() + ":part:" + m.part(), () -> invoiced(m));
            case NodeAction.MakeInvoice m -> inputs.add(invoiced(m));
            case NodeAction.AskWallet a when a.question() == NodeAction.Question.HELD_TO_RUN
                    && billing.reportedHeld(a.paymentHash()) ->
                    inputs.add(new NodeInput.WalletAnswered(a, Optional.of(InvoiceState.HELD))); // its report: no hops
            case NodeAction.AskWallet a when a.onSweep() -> askInBackground(a);
            case NodeAction.AskWallet a -> inputs.add(new NodeInput.WalletAnswered(a, billing.state(a.paymentHash())));
            case NodeAction.Settle s -> onceInBackground(s.jobId(), s.paymentHash() + ":settle",
                    () -> new NodeInput.SettleAnswered(s, billing.settle(s.paymentHash(),
                            Hex.decode(s.preimageHex()))));
            case NodeAction.Cancel c -> billing.cancel(c.paymentHash());
            case NodeAction.Run r -> run(r);
            case NodeAction.MoveOn m -> inputs.add(new NodeInput.PartsChanged());
            case NodeAction.ParkInput p -> shell.park(p.event());
            case NodeAction.ReleaseParkedInputs r -> again.addAll(shell.releaseParked(r.jobId()));
            case NodeAction.Reject r -> shell.reject(r.reason(), r.event(), r.detail());
            case NodeAction.Warn w -> LOG.warn(w.message());
            case NodeAction.Finished f -> shell.finished(f.jobId());
            case NodeAction.Journal j -> throw new IllegalArgumentException("not an effect: " + j);
        }
    }

    private NodeInput invoiced(NodeAction.MakeInvoice m) {
        return new NodeInput.Invoiced(m, billing.invoice(m.jobId(), m.amount(),
                m.holdHash() == null ? null : Hex.decode(m.holdHash())));
    }

    /**
     * A wallet call off the state thread, its answer fed back on it: over NWC a call takes two relay hops, which the
     * client's input and the work order must not queue behind. Refused while closing: the journal keeps what is owed,
     * and the next start asks again (a kept invoice not made is made after the result).
     */
    private void inBackground(JobId jobId, java.util.function.Supplier<NodeInput> call) {
        try {
            walletCalls.execute(() -> shell.answered(jobId, call.get()));
        } catch (RejectedExecutionException closing) {
            LOG.debug("job {}: closing, wallet call not made", jobId);
        }
    }

    /**
     * The sweep's questions (is a delivered job paid, a held payment settled) go to the wallet off the state thread:
     * over NWC each takes two relay hops, and a sweep over many owed jobs would hold the next job's input and work
     * order behind them. One question per invoice at a time: a sweep that comes round before the answer asks nothing.
     */
    private void askInBackground(NodeAction.AskWallet a) {
        onceInBackground(a.jobId(), a.paymentHash() + ":" + a.question(),
                () -> new NodeInput.WalletAnswered(a, billing.state(a.paymentHash())));
    }

    /**
     * A wallet call off the state thread, at most one per {@code key} at a time. Settling goes this way too: the
     * next part's hold invoice, the next job's input and the sweep need not wait the two relay hops of its answer, and
     * the machine takes the answer whenever it comes (a sweep that finds the part still unsettled asks nothing more
     * while the call is out).
     */
    private void onceInBackground(JobId jobId, String key, java.util.function.Supplier<NodeInput> call) {
        if (asking.add(key)) {
            inBackground(jobId, () -> {
                try {
                    return call.get();
                } finally {
                    asking.remove(key);
                }
            });
        }
    }

    /** On a runner thread; the outcome comes back through the shell onto the state thread. */
    private void run(NodeAction.Run r) {
        NodeJob job = r.job();
        if (!running.add(job.jobId())) {
            return; // a run of it is in flight already
        }
        StreamSink sink = r.part() == 0 ? streamTo(job) : StreamSink.DISCARD;
        try {
            workers.execute(() -> shell.runFinished(job.jobId(), r.part(), JobExecution.run(runner,
                    job.terms().model(), job.terms().task(), r.texts(), r.params(), sink)));
        } catch (RejectedExecutionException closing) {
            running.remove(job.jobId()); // the journal keeps it RUNNING, the next start re-runs it
        }
    }

    /** Streams generated text to the client as 24401 chunks; once the node closes, the run is cancelled. */
    private StreamSink streamTo(NodeJob job) {
        AtomicLong seq = new AtomicLong();
        return chunk -> {
            if (shell.closed()) {
                throw new IllegalStateException("node closed");
            }
            if (chunk instanceof StreamChunk.TextDelta delta && !delta.text().isEmpty()) {
                outbox.sendUnjournalled(events.chunk(job, seq.getAndIncrement(), delta.text(), now()));
            }
        };
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
