package org.fedai.roles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.roles.client.ClientMachineWalk.FEE;
import static org.fedai.roles.client.ClientMachineWalk.FUNDS;
import static org.fedai.roles.client.ClientMachineWalk.PRICE;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.pool.InMemoryRelay;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client killed after every journal write of a job's life, at machine level: the crash suite's client kill
 * points, all of them, in milliseconds. After each crash the client starts again as {@link ClientRole#start} does
 * ({@link ClientRecovery}: the journal kept, the wallet asked about attempts the journal never heard the end of, the
 * job resumed), the relays deliver again what they hold, and the job is walked to rest. Invariants named: "a client
 * that pays ends with the result" and "paid once" (the client's wallet pays the node's price and the router's fee
 * exactly once, whatever was lost).
 */
class ClientCrashPointsTest {

    private static final String OUTPUT = "[0.5]";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = PaymentTiming.class, names = {"BEFORE", "AFTER"})
    void aClientKilledAfterAnyWriteEndsWithItsResultAndPaysOnce(PaymentTiming timing) {
        int writes;
        try (World whole = new World(dir.resolve("whole"), timing, Integer.MAX_VALUE)) {
            whole.run();
            writes = whole.writes;
            assertThat(whole.output).as("a whole %s job", timing).isEqualTo(OUTPUT);
        }
        assertThat(writes).as("a whole %s job's writes", timing).isGreaterThan(3);
        for (int crashAfter = 1; crashAfter <= writes; crashAfter++) {
            try (World world = new World(dir.resolve(timing + "-" + crashAfter), timing, crashAfter)) {
                world.run();
                String at = timing + ", killed after write " + crashAfter + " (" + world.crashedAt + ")";
                assertThat(world.crashed).as(at).isTrue();
                if (!world.endedInJournal) {
                    assertThat(world.output).as("a client that pays ends with the result: " + at).isEqualTo(OUTPUT);
                }
                assertThat(world.walk.network.balance("client")).as("paid once: " + at)
                        .isEqualTo(FUNDS - PRICE - FEE);
            }
        }
    }

    /**
     * The market as one job sees it: the router quotes, the node invoices (before work for {@code before}, after the
     * result for {@code after}) and delivers once the work is paid for or ordered; every event stays on the relay and
     * comes again after a restart. One crash after write {@code crashAfter}.
     */
    private static final class World implements AutoCloseable {

        final ClientMachineWalk walk;
        final PaymentTiming timing;
        final int crashAfter;
        final List<ClientInput> published = new ArrayList<>();
        final Deque<ClientInput> inbox = new ArrayDeque<>();
        int writes;
        boolean crashed;
        String crashedAt = "";
        String output;
        /** Killed after DONE was journaled, before the result was handed over: nothing left to resume. */
        boolean endedInJournal;
        private String nodeInvoice;

        World(Path dir, PaymentTiming timing, int crashAfter) {
            try {
                java.nio.file.Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            this.walk = new ClientMachineWalk(dir);
            this.timing = timing;
            this.crashAfter = crashAfter;
        }

        void run() {
            walk.start(timing, List.of("a"));
            ClientJob job = walk.job;
            walk.journal.claim(ClientMachineWalk.key(walk.client));
            walk.journal.recordSubmission(job.jobId, job.createdAt, SubmissionJson.write(job.submission));
            walk.journal.recordState(job.jobId, job.router, job.state.name(), null, job.createdAt);
            Quote terms = walk.quote(timing, FEE);
            Event quote = EventSigner.sign(QuoteCodec.encode(terms, walk.router, walk.client.publicKey(),
                    walk.nowMs / 1000), walk.router);
            deliver(new ClientInput.QuoteReceived(quote, terms));
            for (int steps = 0; !inbox.isEmpty() && output == null && !endedInJournal && steps < 200; steps++) {
                take(inbox.poll());
            }
        }

        private void deliver(ClientInput event) {
            published.add(event);
            inbox.add(event);
        }

        private void take(ClientInput input) {
            for (ClientAction action : walk.machine.on(input, walk.job, walk.nowMs)) {
                if (action instanceof ClientAction.Journal write && !journal(write)) {
                    return; // killed: the rest of the transition never happened
                }
                if (!(action instanceof ClientAction.Journal)) {
                    effect(action);
                }
            }
        }

        /** Carries a write out; false when the client is killed right after it. */
        private boolean journal(ClientAction.Journal write) {
            ClientJob job = walk.job;
            switch (write) {
                case ClientAction.RecordQuote q -> walk.journal.recordQuote(job.jobId, EventJson.toJson(q.quote()));
                case ClientAction.RecordState s -> walk.journal.recordState(job.jobId, job.router, s.state().name(),
                        s.node(), walk.nowMs / 1000);
                case ClientAction.RecordPayment p -> walk.payer.record(job.jobId, p.bolt11(), p.preimage(), p.amount());
            }
            return !killedAfter(write);
        }

        /** Counts a durable step; when it is the kill point, the client starts again and true is returned. */
        private boolean killedAfter(ClientAction step) {
            writes++;
            if (writes != crashAfter || crashed) {
                return false;
            }
            crashed = true;
            crashedAt = step.toString();
            restart();
            return true;
        }

        /** The client starts again from its journal; the relays deliver what they hold; nothing was in flight. */
        private void restart() {
            inbox.clear();
            ClientSteps steps = new RecoverySteps(walk, inbox);
            ClientRecovery recovery = new ClientRecovery(steps, walk.journal, walk.payer, new InMemoryRelay());
            List<ClientRecovery.Resumed> open = recovery.load();
            if (open.isEmpty()) {
                // killed between journaling DONE and handing the result over: the journal holds the job done (the
                // output itself is not journaled; it stays on the relays)
                assertThat(walk.journal.openJobs()).as("ended, not lost").isEmpty();
                endedInJournal = true;
                return;
            }
            assertThat(open).as("the job is open in the journal").hasSize(1);
            walk.job = open.get(0).job();
            recovery.act(open);
            inbox.addAll(published);
        }

        private void effect(ClientAction action) {
            switch (action) {
                case ClientAction.Pay p -> {
                    // the payer journals the attempt, the wallet pays, the payer journals the preimage: a kill point
                    var answer = walk.payer.pay(walk.job.jobId, p.bolt11(), p.amount());
                    if (killedAfter(p)) {
                        return; // the answer is lost with the process
                    }
                    inbox.add(new ClientInput.PayAnswered(p, answer));
                }
                case ClientAction.PublishInput i -> {
                    if (timing == PaymentTiming.BEFORE) {
                        invoice();
                    } else {
                        result(); // after: the router orders on the node's acceptance, the invoice follows the result
                        invoice();
                    }
                }
                case ClientAction.SendProof s -> {
                    if (timing == PaymentTiming.BEFORE) {
                        result(); // the router verified and ordered: the node works
                    }
                }
                case ClientAction.Complete c -> output = c.output();
                case ClientAction.Fail f -> throw new AssertionError("the job failed: " + f.why());
                default -> { }
            }
        }

        private void invoice() {
            if (nodeInvoice == null) {
                nodeInvoice = walk.bolt11(walk.nodeWallet, PRICE);
                deliver(new ClientInput.InvoiceReceived(walk.signed(walk.node, FedaiKind.INVOICE),
                        walk.invoice(nodeInvoice, PRICE, 1, 1)));
            }
        }

        private void result() {
            if (published.stream().noneMatch(ClientInput.ResultReceived.class::isInstance)) {
                deliver(new ClientInput.ResultReceived(walk.signed(walk.node, FedaiKind.JOB_RESULT),
                        new JobResult(walk.job.jobId.hex(), "vectors", OUTPUT, 1, 1, JobResult.sha256(OUTPUT), 1,
                                "texts")));
            }
        }

        @Override
        public void close() {
            walk.close();
        }
    }

    /** What ClientRecovery reaches through a restarted role: the walk's keys and clock; inputs go to the inbox. */
    private record RecoverySteps(ClientMachineWalk walk, Deque<ClientInput> inbox) implements ClientSteps {

        @Override
        public ClientConfig config() {
            return ClientConfig.of(walk.client, ClientMachineWalk.key(walk.router));
        }

        @Override
        public long now() {
            return walk.nowMs / 1000;
        }

        @Override
        public void progress(org.fedai.domain.JobId jobId, String step) {
        }

        @Override
        public void count(String reason) {
        }

        @Override
        public void feed(ClientJob job, ClientInput input) {
            inbox.add(input);
        }

        @Override
        public void replay(Event event) {
            throw new UnsupportedOperationException("no early events in this walk");
        }

        @Override
        public void tryNextRouter(ClientJob job) {
            throw new UnsupportedOperationException("one router");
        }

        @Override
        public ExternalPayer outsidePayer() {
            return ExternalPayer.NONE;
        }
    }
}
