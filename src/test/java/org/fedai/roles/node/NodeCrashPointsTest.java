package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.EventId;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.roles.node.machine.InvoiceAnswer;
import org.fedai.roles.node.machine.NodeAction;
import org.fedai.roles.node.machine.NodeInput;
import org.fedai.roles.node.machine.RunOutcome;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJobState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The node killed after every journal write of a job's life, for every timing, at machine level: the crash suite's
 * kill points, all of them, in milliseconds. After each crash the node starts again (the journal kept, nothing in
 * flight, the peers' events not yet acted on delivered again) and the job is walked to rest. Invariants named:
 * "ends delivered" (every job reaches DONE with its result), "one result" (the result is journalled exactly once,
 * whatever was re-run), "paid once" (what is owed after delivery is recorded exactly once, and a hold job settles
 * the one hash it invoiced).
 */
class NodeCrashPointsTest {

    private static final RunOutcome.Done VECTORS = new RunOutcome.Done("vectors", "[[0.25]]", 3, "token");

    @ParameterizedTest
    @EnumSource(value = PaymentTiming.class)
    void aNodeKilledAfterAnyWriteStillDeliversOnceAndIsPaidOnce(PaymentTiming timing) {
        int writes = new Walk(timing, Integer.MAX_VALUE).run().writes;
        assertThat(writes).as("a whole %s job's writes", timing).isGreaterThan(3);
        for (int crashAfter = 1; crashAfter <= writes; crashAfter++) {
            Walk walk = new Walk(timing, crashAfter).run();
            String at = timing + ", killed after write " + crashAfter + " (" + walk.crashedAt + ")";
            assertThat(walk.crashed).as(at).isTrue();
            assertThat(walk.job.job().state()).as("ends delivered: " + at).isEqualTo(NodeJobState.DONE);
            assertThat(walk.finishes).as("one result: " + at).isEqualTo(1);
            int owed = timing == PaymentTiming.AFTER || timing == PaymentTiming.HOLD || timing == PaymentTiming.ATOMIC
                    ? 1 : 0;
            assertThat(walk.settlements).as("paid once: " + at).isEqualTo(owed);
            if (timing == PaymentTiming.PARTIAL) {
                assertThat(walk.deliveredParts).as("each part once: " + at).containsExactly(1, 2);
            }
            if (timing == PaymentTiming.HOLD) {
                assertThat(walk.settledHashes).as("the invoiced hash settles: " + at)
                        .containsExactly(walk.job.job().invoice().orElseThrow().paymentHash());
            }
            walk.job.close();
        }
    }

    /** One job walked to rest by a world that answers every question at once, with one crash on the way. */
    private static final class Walk {
        final NodeMachineWalk job = new NodeMachineWalk("first", "second");
        final PaymentTiming timing;
        final int crashAfter;
        final Deque<NodeInput> events = new ArrayDeque<>();
        int writes;
        int finishes;
        int settlements;
        boolean crashed;
        String crashedAt = "";
        final List<Integer> deliveredParts = new ArrayList<>();
        final List<String> settledHashes = new ArrayList<>();
        private int invoices;

        Walk(PaymentTiming timing, int crashAfter) {
            this.timing = timing;
            this.crashAfter = crashAfter;
        }

        Walk run() {
            events.add(job.quoted(timing));
            events.add(job.input());
            drive();
            // the router orders once it has what its timing waits for: here, whatever the node invoiced
            events.add(job.order(timing, job.job().invoice().map(i -> List.of(i.paymentHash())).orElse(List.of())));
            drive();
            for (int sweeps = 0; sweeps < 6 && !atRest(); sweeps++) {
                if (shellFeeds()) {
                    feed(new NodeInput.Swept());
                }
            }
            return this;
        }

        /** As NodeJobs: a restart and a sweep take the open jobs, and the delivered ones the journal lists as owed. */
        private boolean shellFeeds() {
            return !job.job().state().terminal() || job.journal.awaitingPayment().stream()
                    .anyMatch(j -> j.jobId().equals(job.jobId)) || job.journal.awaitingSettlement().stream()
                    .anyMatch(j -> j.jobId().equals(job.jobId));
        }

        /** Delivered, and paid where the timing is paid after delivery. */
        private boolean atRest() {
            boolean owed = timing == PaymentTiming.AFTER || timing == PaymentTiming.HOLD
                    || timing == PaymentTiming.ATOMIC;
            return job.job().state() == NodeJobState.DONE && (!owed || settlements > 0);
        }

        private void drive() {
            while (!events.isEmpty()) {
                NodeInput next = events.poll();
                if (alreadyActedOn(next)) {
                    continue;
                }
                feed(next);
            }
        }

        /** The shell's replay check: an event whose transition committed is not acted on again. */
        private boolean alreadyActedOn(NodeInput input) {
            return switch (input) {
                case NodeInput.QuoteAdmitted q -> job.journal.processed(EventId.of(q.event().id()));
                case NodeInput.InputReceived i -> job.journal.processed(EventId.of(i.event().id()));
                case NodeInput.OrderAdmitted o -> job.journal.processed(EventId.of(o.event().id()));
                default -> false;
            };
        }

        /** One input and its answers, in order, as the shell feeds them; a crash drops the rest. */
        private void feed(NodeInput first) {
            Deque<NodeInput> pending = new ArrayDeque<>(List.of(first));
            while (!pending.isEmpty()) {
                NodeInput input = pending.poll();
                for (NodeAction a : job.decide(input)) {
                    job.apply(a);
                    if (a instanceof NodeAction.Journal write) {
                        count(write);
                        if (++writes == crashAfter) {
                            crash(first, input, write);
                            return;
                        }
                    } else {
                        answer(a).ifPresent(pending::add);
                    }
                }
            }
        }

        private void count(NodeAction.Journal write) {
            switch (write) {
                case NodeAction.Finish f -> finishes++;
                case NodeAction.RecordSettlement s -> settlements++;
                case NodeAction.DeliverPart d -> deliveredParts.add(d.part());
                default -> { }
            }
        }

        /**
         * Killed right after {@code write} (each write is its own transaction): the rest of the transition and its
         * answers are lost, the journal stays. Events not acted on come again after the restart.
         */
        private void crash(NodeInput event, NodeInput during, NodeAction.Journal write) {
            crashed = true;
            crashedAt = write.getClass().getSimpleName() + " on " + during.getClass().getSimpleName();
            job.restart();
            boolean fromPeer = event instanceof NodeInput.QuoteAdmitted || event instanceof NodeInput.InputReceived
                    || event instanceof NodeInput.OrderAdmitted;
            if (fromPeer && !alreadyActedOn(event)) {
                events.addFirst(event); // the relays deliver it again: the resubscription reaches back before it
            }
            if (shellFeeds()) {
                feed(new NodeInput.Resumed());
            }
            drive();
        }

        private Optional<NodeInput> answer(NodeAction action) {
            return switch (action) {
                case NodeAction.MakeInvoice m -> {
                    String hash = m.holdHash() != null ? m.holdHash()
                            : Hex.encode(Sha256.hash(new byte[] {(byte) ++invoices, 7}));
                    yield Optional.of(new NodeInput.Invoiced(m, new InvoiceAnswer.Issued(
                            NodeMachineWalk.invoice(hash, job.now + 600))));
                }
                case NodeAction.AskWallet a -> Optional.of(new NodeInput.WalletAnswered(a, Optional.of(
                        a.question() == NodeAction.Question.PAID_AFTER_WORK
                                || a.question() == NodeAction.Question.PAID_PAST_EXPIRY
                                ? InvoiceState.SETTLED : InvoiceState.HELD)));
                case NodeAction.Settle s -> {
                    if (s.part() == 0) {
                        settledHashes.add(s.paymentHash());
                    }
                    yield Optional.of(new NodeInput.SettleAnswered(s, true));
                }
                case NodeAction.Run r -> {
                    job.restartRun(); // the run comes back: not in flight any more
                    yield Optional.of(new NodeInput.RunFinished(r.part(), VECTORS));
                }
                case NodeAction.MoveOn m -> Optional.of(new NodeInput.PartsChanged());
                default -> Optional.empty();
            };
        }
    }
}
