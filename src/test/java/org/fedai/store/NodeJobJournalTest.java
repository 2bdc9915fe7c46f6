package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.store.NodeJobJournal.ProcessedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's journal on a real SQLite file: transitions, processed ids and the outbox survive a reopen. */
class NodeJobJournalTest {

    private static final String JOB = "aa".repeat(32);
    private static final NodeJob.Terms TERMS = new NodeJob.Terms("q1", "router", "client", "model", "embedding",
            "cc".repeat(32), 2, 2000, PaymentTiming.BEFORE, 100, 200, 150);

    @TempDir
    Path dir;

    private NodeJobJournal open() {
        return NodeJobJournal.open(dir.resolve("node.db"));
    }

    private static ProcessedEvent event(String id, long createdAt) {
        return new ProcessedEvent(id, 4401, JOB, createdAt);
    }

    @Test
    void aJobIsQuotedOnceAndItsQuoteRemembered() {
        try (NodeJobJournal journal = open()) {
            assertThat(journal.newestProcessedCreatedAt()).isZero();
            assertThat(journal.insertQuoted(JOB, TERMS, event("q1", 50), 60)).isTrue();
            assertThat(journal.insertQuoted(JOB, TERMS, event("q2", 70), 80)).isFalse();
            assertThat(journal.processed("q1")).isTrue();
            assertThat(journal.processed("q2")).isFalse(); // a refused duplicate leaves nothing behind
            assertThat(journal.newestProcessedCreatedAt()).isEqualTo(50);
            NodeJob job = journal.job(JOB).orElseThrow();
            assertThat(job.state()).isEqualTo(NodeJobState.QUOTED);
            assertThat(job.terms()).isEqualTo(TERMS);
            assertThat(job.invoice()).isEmpty();
            assertThat(job.input()).isEmpty();
        }
    }

    @Test
    void everyTransitionAndItsOutboxSurviveAReopen() {
        try (NodeJobJournal journal = open()) {
            journal.insertQuoted(JOB, TERMS, event("q1", 50), 60);
            journal.accept(JOB, 61, List.of(Outbound.of("e1", JOB, "{accepted}")));
            journal.recordInvoice(JOB, new NodeJob.InvoiceRef("lnbcrt1...", "dd".repeat(32), 700),
                    NodeJobState.INVOICED, 62, List.of(Outbound.of("e2", JOB, "{invoice}")));
            journal.recordInput(JOB, new NodeJob.Input("i1", List.of("a", "b"), Map.of("k", "v")),
                    new ProcessedEvent("i1", 4400, JOB, 63), 63, List.of(Outbound.of("e2b", JOB, "{input_received}")));
            journal.authorize(JOB, new NodeJob.Order("o1", WorkAuthorization.PAID, List.of("dd".repeat(32)), 190),
                    new ProcessedEvent("o1", 4404, JOB, 64), 64);
            journal.start(JOB, 65, List.of(Outbound.of("e3", JOB, "{processing}")));
            journal.markPublished("e1");
        }
        try (NodeJobJournal journal = open()) {
            NodeJob job = journal.job(JOB).orElseThrow();
            assertThat(job.state()).isEqualTo(NodeJobState.RUNNING);
            assertThat(job.invoice().orElseThrow().paymentHash()).isEqualTo("dd".repeat(32));
            assertThat(job.input().orElseThrow().texts()).containsExactly("a", "b");
            assertThat(job.input().orElseThrow().params()).containsEntry("k", "v");
            assertThat(job.order().orElseThrow().paymentHashes()).containsExactly("dd".repeat(32));
            assertThat(job.outcome().orElseThrow().startedAt()).isEqualTo(65);
            assertThat(journal.openJobs()).hasSize(1);
            assertThat(journal.jobByPaymentHash("dd".repeat(32))).isPresent();
            assertThat(journal.processed("o1")).isTrue();
            assertThat(journal.newestProcessedCreatedAt()).isEqualTo(64);
            assertThat(journal.unpublished()).extracting(Outbound::eventId).containsExactly("e2", "e2b", "e3");

            journal.finish(JOB, new NodeJob.Outcome(65, 66, "ee".repeat(32), 2, "text", ""), 66,
                    List.of(Outbound.of("e4", JOB, "{result}"), Outbound.of("e5", JOB, "{success}")));
            assertThat(journal.job(JOB).orElseThrow().state()).isEqualTo(NodeJobState.DONE);
            assertThat(journal.openJobs()).isEmpty();
            assertThat(journal.outbox(JOB)).extracting(Outbound::eventId)
                    .containsExactly("e1", "e2", "e2b", "e3", "e4", "e5");
        }
    }

    @Test
    void aFailedTransitionWritesNothing() {
        try (NodeJobJournal journal = open()) {
            // no such job: the state update fails, and the outbox event of the same transaction is rolled back
            assertThatThrownBy(() -> journal.accept("bb".repeat(32), 1, List.of(Outbound.of("x", "bb", "{}"))))
                    .isInstanceOf(NodeJournalException.class);
            assertThat(journal.unpublished()).isEmpty();
        }
    }

    @Test
    void failureKeepsTheReasonAndTheEventThatCausedIt() {
        try (NodeJobJournal journal = open()) {
            journal.insertQuoted(JOB, TERMS, event("q1", 50), 60);
            journal.fail(JOB, "input does not match", 70, List.of(Outbound.of("e9", JOB, "{error}")),
                    new ProcessedEvent("i9", 4400, JOB, 69));
            NodeJob job = journal.job(JOB).orElseThrow();
            assertThat(job.state()).isEqualTo(NodeJobState.FAILED);
            assertThat(job.outcome().orElseThrow().error()).isEqualTo("input does not match");
            assertThat(journal.processed("i9")).isTrue();
            assertThat(journal.unpublished()).extracting(Outbound::eventId).containsExactly("e9");
        }
    }

    @Test
    void payAfterWorkJobsWaitForTheirSettlementOnce() {
        NodeJob.Terms after = new NodeJob.Terms("q1", "router", "client", "model", "embedding", "cc".repeat(32), 2,
                2000, PaymentTiming.AFTER, 100, 200, 150);
        try (NodeJobJournal journal = open()) {
            journal.insertQuoted(JOB, after, event("q1", 50), 60);
            journal.finish(JOB, new NodeJob.Outcome(61, 62, "ee".repeat(32), 2, "text", ""), 62, List.of());
            // delivered and not yet invoiced: still owed an invoice, which the sweep makes (item: no result unbilled)
            assertThat(journal.awaitingPayment()).extracting(NodeJob::jobId).containsExactly(JOB);
            assertThat(journal.awaitingPayment().get(0).invoice()).isEmpty();
            journal.recordInvoice(JOB, new NodeJob.InvoiceRef("lnbcrt1...", "dd".repeat(32), 700),
                    NodeJobState.DONE, 63, List.of());
            assertThat(journal.awaitingPayment()).extracting(NodeJob::jobId).containsExactly(JOB);
            journal.recordSettlement(JOB, 64, List.of(Outbound.of("m2", JOB, "{record}")));
            assertThat(journal.awaitingPayment()).isEmpty();
            assertThat(journal.unpublished()).extracting(Outbound::eventId).containsExactly("m2");
        }
    }

    @Test
    void pruningForgetsOldJobsNothingIsOwedOnAndKeepsTheRest() {
        // invariant: a delivered job still awaiting its money, or an event not yet published, is never pruned
        NodeJob.Terms after = new NodeJob.Terms("q2", "router", "client", "model", "embedding", "cc".repeat(32), 2,
                2000, PaymentTiming.AFTER, 100, 200, 150);
        String failed = "01".repeat(32);
        String unpaid = "02".repeat(32);
        String unpublished = "03".repeat(32);
        String recent = "04".repeat(32);
        try (NodeJobJournal journal = open()) {
            journal.insertQuoted(failed, TERMS, new ProcessedEvent("qa", 4401, failed, 50), 60);
            journal.fail(failed, "input did not arrive", 70, List.of(Outbound.of("fa", failed, "{}")), null);
            journal.markPublished("fa");
            journal.insertQuoted(unpaid, after, event("qb", 50), 60);
            journal.finish(unpaid, new NodeJob.Outcome(61, 62, "ee".repeat(32), 2, "text", ""), 62, List.of());
            journal.insertQuoted(unpublished, TERMS, event("qc", 50), 60);
            journal.fail(unpublished, "error", 70, List.of(Outbound.of("fc", unpublished, "{}")), null);
            journal.insertQuoted(recent, TERMS, event("qd", 50), 900);
            journal.fail(recent, "error", 950, List.of(), null);

            assertThat(journal.pruneSettled(500)).isEqualTo(1);

            assertThat(journal.job(failed)).isEmpty();
            assertThat(journal.processed("qa")).isFalse();
            assertThat(journal.outbox(failed)).isEmpty();
            assertThat(journal.job(unpaid)).as("pay-after work awaiting its invoice and money").isPresent();
            assertThat(journal.job(unpublished)).as("its error is not on any relay yet").isPresent();
            assertThat(journal.job(recent)).isPresent();
        }
    }
}
