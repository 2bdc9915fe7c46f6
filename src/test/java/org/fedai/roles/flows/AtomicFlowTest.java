package org.fedai.roles.flows;

import org.fedai.testing.UnreachableWallet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.Hex;
import org.fedai.payment.LookupResult;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.roles.client.JobOutcome;
import org.fedai.store.InvoiceState;
import org.fedai.store.MeteringEntry;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;
import org.fedai.store.Outbound;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * Atomic pay-for-result, every role real: the node delivers its result locked under a fresh preimage, then the
 * invoice for that preimage's hash; paying it is what gives the client the key. The router verifies the proof
 * as always and countersigns the metering.
 */
@RelayTest
class AtomicFlowTest extends FlowTest {

    @Test
    void payingTheInvoiceOpensTheLockedResult() throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200))) {
            JobOutcome out = m.submit(PaymentTiming.ATOMIC).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(out.succeeded()).as(out.failure()).isTrue();
            NodeJob job = m.nodeJournal.job(out.jobId()).orElseThrow();
            assertThat(job.state()).isEqualTo(NodeJobState.DONE);
            // the client opened exactly what the node signed for and metered
            assertThat(JobResult.sha256(out.output())).isEqualTo(job.outcome().orElseThrow().outputSha256());
            assertThat(out.output()).startsWith("[[");
            // what went over the wire was ciphertext, committed to the invoice's hash
            List<JobResult> sent = results(m.nodeJournal, m, out.jobId());
            String hash = job.invoice().orElseThrow().paymentHash();
            assertThat(sent).isNotEmpty().allSatisfy(r -> {
                assertThat(r.lock()).hasValueSatisfying(l -> assertThat(l.paymentHash()).isEqualTo(hash));
                assertThat(r.output()).doesNotContain("[[");
            });
            assertThat(out.paid().value()).isEqualTo(out.nodePrice().value() + out.routerFee().value());
            assertThat(m.balance("client")).isEqualTo(CLIENT_FUNDS - out.nodePrice().value() - out.routerFee().value());
            assertThat(m.balance("node")).isEqualTo(out.nodePrice().value());
            // metered twice as pay-after is: on delivery (nothing paid yet), then with the verified hash
            await().atMost(WAIT).until(() -> meteredWith(m, out.jobId(), hash));
            assertThat(m.ledger.hasOpenDebt(PublicKey.of(m.clientKeys.publicKey()))).isFalse();
            assertThat(m.runner.runs.get()).isEqualTo(1);
        }
    }

    @Test
    void aNodeRestartedBeforeSettlingStillOpensTheResultWithItsJournalledPreimage() throws Exception {
        // a sweep too slow to matter, and a wallet that does not report held payments (UnreachableWallet keeps the
        // default subscribeHeld): the node settles only after its restart
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMinutes(10))) {
            m.stopNode();
            m.startNode(Duration.ofMinutes(10), new UnreachableWallet(m.nodeWallet()));
            var pending = m.submit(PaymentTiming.ATOMIC);
            await().atMost(WAIT).until(() -> m.nodeJournal.jobs().stream().anyMatch(j -> j.invoice().isPresent()));
            NodeJob delivered = m.nodeJournal.jobs().get(0);
            byte[] hash = Hex.decode(delivered.invoice().orElseThrow().paymentHash());
            await().atMost(WAIT).until(() -> m.nodeWallet().lookup(hash) instanceof LookupResult.Found f
                    && f.state() == InvoiceState.HELD);
            assertThat(pending).isNotDone();

            m.stopNode();
            m.startNode(Duration.ofMillis(200));

            JobOutcome out = pending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(out.succeeded()).as(out.failure()).isTrue();
            assertThat(JobResult.sha256(out.output())).isEqualTo(delivered.outcome().orElseThrow().outputSha256());
            assertThat(m.runner.runs.get()).isEqualTo(1);
            assertThat(m.balance("node")).isEqualTo(out.nodePrice().value());
            assertThat(m.balance("client")).isEqualTo(CLIENT_FUNDS - out.nodePrice().value() - out.routerFee().value());
            await().atMost(WAIT).until(() -> meteredWith(m, out.jobId(), Hex.encode(hash)));
        }
    }

    private static boolean meteredWith(FlowMarket m, JobId jobId, String hash) {
        List<MeteringEntry> entries = m.ledger.meteringLog().stream().filter(e -> e.jobId().equals(jobId)).toList();
        return entries.size() == 2 && entries.stream().allMatch(e -> !e.receiptId().isEmpty())
                && entries.stream().anyMatch(e -> e.paymentHashes().equals(List.of(hash)));
    }

    /** The 4406 parts in the node's outbox, opened as the client opens them. */
    private static List<JobResult> results(NodeJobJournal journal, FlowMarket m, JobId jobId) {
        List<JobResult> out = new java.util.ArrayList<>();
        for (Outbound o : journal.outbox(jobId)) {
            Event e;
            try {
                e = EventJson.parse(o.eventJson());
            } catch (org.fedai.nostr.MalformedEventException ex) {
                throw new AssertionError(ex);
            }
            if (e.kind() == 4406) {
                out.add(JobProgressCodecs.decodeResult(e, m.clientKeys).orElseThrow());
            }
        }
        return out;
    }
}
