package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.store.NodeJobJournal.ProcessedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's journal on a real SQLite file: transitions, processed ids and the outbox survive a reopen. */
class NodeJobJournalTest {

    private static final JobId JOB = JobId.of("aa".repeat(32));
    private static final NodeJob.Terms TERMS = new NodeJob.Terms(id("q1"), key("router"), key("client"), "model", "embedding",
            "cc".repeat(32), 2, Msat.of(2000), PaymentTiming.BEFORE, 100, 200, 150, false);

    @TempDir
    Path dir;

    private NodeJobJournal open() {
        return NodeJobJournal.open(dir.resolve("node.db"));
    }

    private static ProcessedEvent event(EventId id, long createdAt) {
        return new ProcessedEvent(id, 4401, JOB, createdAt);
    }

    /**
     * Invariant: a spare invoice pays for at most one job. It is unused until a job's first write names it as its
     * invoice, then never again, across a reopen; expired ones are forgotten.
     */
    @Test
    void aSpareIsHeldUntilTheJobWhoseQuoteNamesItTakesItInItsFirstWrite() {
        NodeSpares.Spare spare = new NodeSpares.Spare("ee".repeat(32), key("router"), Msat.of(2000), "lnbcrt20u1pspare",
                3600, java.util.Optional.empty());
        try (NodeJobJournal journal = open()) {
            journal.spares().keep(spare, List.of(Outbound.of(id("spare-event"), JOB, "{}")));
            assertThat(journal.unpublished()).extracting(Outbound::eventId).containsExactly(id("spare-event"));
            assertThat(journal.spares().held(key("router"), Msat.of(2000), 3000, false)).isEqualTo(1);
            assertThat(journal.spares().held(key("router"), Msat.of(2000), 3000, true)).isZero(); // not a hold one
            assertThat(journal.spares().held(key("router"), Msat.of(2001), 3000, false)).isZero(); // another price
            assertThat(journal.spares().held(key("other"), Msat.of(2000), 3000, false)).isZero(); // another router
            assertThat(journal.spares().held(key("router"), Msat.of(2000), 3600, false)).isZero(); // not payable
            assertThat(journal.spares().unused(spare.paymentHash())).contains(spare);
        }
        try (NodeJobJournal journal = open()) {
            journal.insertQuoted(JOB, TERMS, event(id("q1"), 50), java.util.Optional.of(spare), 60);
            assertThat(journal.job(JOB).orElseThrow().invoice()).contains(spare.invoice());
            assertThat(journal.spares().unused(spare.paymentHash())).isEmpty();
            assertThat(journal.spares().held(key("router"), Msat.of(2000), 3000, false)).isZero();
            assertThat(journal.spares().prune(3601)).isEqualTo(1);
        }
    }

    /**
     * Invariant: a held payment can always be settled. A hold spare's preimage is kept with the spare, and becomes
     * its job's in the job's first write, so forgetting the expired spare later loses nothing.
     */
    @Test
    void aHoldSparesPreimageBecomesItsJobsInTheJobsFirstWrite() {
        String preimage = "ab".repeat(32);
        NodeSpares.Spare hold = new NodeSpares.Spare("ee".repeat(32), key("router"), Msat.of(2000), "lnbcrt20u1phold",
                3600, java.util.Optional.of(preimage));
        try (NodeJobJournal journal = open()) {
            journal.spares().keep(hold, List.of());
            assertThat(journal.spares().held(key("router"), Msat.of(2000), 3000, true)).isEqualTo(1);
            assertThat(journal.spares().held(key("router"), Msat.of(2000), 3000, false)).isZero();
            assertThat(journal.spares().unused(hold.paymentHash())).contains(hold);
        }
        try (NodeJobJournal journal = open()) {
            journal.insertQuoted(JOB, TERMS, event(id("q1"), 50), java.util.Optional.of(hold), 60);
            assertThat(journal.spares().prune(3601)).isEqualTo(1);
            assertThat(journal.preimage(JOB)).contains(preimage);
            assertThat(journal.job(JOB).orElseThrow().invoice()).contains(hold.invoice());
        }
    }

    @Test
    void aJobIsQuotedOnceAndItsQuoteRemembered() {
        try (NodeJobJournal journal = open()) {
            assertThat(journal.newestProcessedCreatedAt()).isZero();
            assertThat(journal.insertQuoted(JOB, TERMS, event(id("q1"), 50), 60)).isTrue();
            assertThat(journal.insertQuoted(JOB, TERMS, event(id("q2"), 70), 80)).isFalse();
            assertThat(journal.processed(id("q1"))).isTrue();
            assertThat(journal.processed(id("q2"))).isFalse(); // a refused duplicate leaves nothing behind
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
            journal.insertQuoted(JOB, TERMS, event(id("q1"), 50), 60);
            journal.accept(JOB, 61, List.of(Outbound.of(id("e1"), JOB, "{accepted}")));
            journal.recordInvoice(JOB, new NodeJob.InvoiceRef("lnbcrt1...", "dd".repeat(32), 700),
                    NodeJobState.INVOICED, 62, List.of(Outbound.of(id("e2"), JOB, "{invoice}")));
            journal.recordInput(JOB, new NodeJob.Input(id("i1"), List.of("a", "b"), Map.of("k", "v")),
                    new ProcessedEvent(id("i1"), 4400, JOB, 63), 63, List.of(Outbound.of(id("e2b"), JOB, "{input_received}")));
            journal.authorize(JOB, new NodeJob.Order(id("o1"), WorkAuthorization.PAID, List.of("dd".repeat(32)), 190),
                    new ProcessedEvent(id("o1"), 4404, JOB, 64), NodeJobState.PAID, 64);
            journal.start(JOB, 65, List.of(Outbound.of(id("e3"), JOB, "{processing}")));
            journal.markPublished(id("e1"));
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
            assertThat(journal.processed(id("o1"))).isTrue();
            assertThat(journal.newestProcessedCreatedAt()).isEqualTo(64);
            assertThat(journal.unpublished()).extracting(Outbound::eventId).containsExactly(id("e2"), id("e2b"), id("e3"));

            journal.finish(JOB, new NodeJob.Outcome(65, 66, "ee".repeat(32), 2, "text", ""), 66,
                    List.of(Outbound.of(id("e4"), JOB, "{result}"), Outbound.of(id("e5"), JOB, "{success}")));
            assertThat(journal.job(JOB).orElseThrow().state()).isEqualTo(NodeJobState.DONE);
            assertThat(journal.openJobs()).isEmpty();
            assertThat(journal.outbox(JOB)).extracting(Outbound::eventId)
                    .containsExactly(id("e1"), id("e2"), id("e2b"), id("e3"), id("e4"), id("e5"));
        }
    }

    @Test
    void aFailedTransitionWritesNothing() {
        try (NodeJobJournal journal = open()) {
            // no such job: the state update fails, and the outbox event of the same transaction is rolled back
            assertThatThrownBy(() -> journal.accept(JobId.of("bb".repeat(32)), 1, List.of(Outbound.of(id("x"), JobId.of("bb".repeat(32)), "{}"))))
                    .isInstanceOf(NodeJournalException.class);
            assertThat(journal.unpublished()).isEmpty();
        }
    }

    @Test
    void failureKeepsTheReasonAndTheEventThatCausedIt() {
        try (NodeJobJournal journal = open()) {
            journal.insertQuoted(JOB, TERMS, event(id("q1"), 50), 60);
            journal.fail(JOB, "input does not match", 70, List.of(Outbound.of(id("e9"), JOB, "{error}")),
                    new ProcessedEvent(id("i9"), 4400, JOB, 69));
            NodeJob job = journal.job(JOB).orElseThrow();
            assertThat(job.state()).isEqualTo(NodeJobState.FAILED);
            assertThat(job.outcome().orElseThrow().error()).isEqualTo("input does not match");
            assertThat(journal.processed(id("i9"))).isTrue();
            assertThat(journal.unpublished()).extracting(Outbound::eventId).containsExactly(id("e9"));
        }
    }

    @Test
    void payAfterWorkJobsWaitForTheirSettlementOnce() {
        NodeJob.Terms after = new NodeJob.Terms(id("q1"), key("router"), key("client"), "model", "embedding", "cc".repeat(32), 2,
                Msat.of(2000), PaymentTiming.AFTER, 100, 200, 150, false);
        try (NodeJobJournal journal = open()) {
            journal.insertQuoted(JOB, after, event(id("q1"), 50), 60);
            journal.finish(JOB, new NodeJob.Outcome(61, 62, "ee".repeat(32), 2, "text", ""), 62, List.of());
            // delivered and not yet invoiced: still owed an invoice, which the sweep makes (item: no result unbilled)
            assertThat(journal.awaitingPayment()).extracting(NodeJob::jobId).containsExactly(JOB);
            assertThat(journal.awaitingPayment().get(0).invoice()).isEmpty();
            journal.recordInvoice(JOB, new NodeJob.InvoiceRef("lnbcrt1...", "dd".repeat(32), 700),
                    NodeJobState.DONE, 63, List.of());
            assertThat(journal.awaitingPayment()).extracting(NodeJob::jobId).containsExactly(JOB);
            journal.recordSettlement(JOB, 64, List.of(Outbound.of(id("m2"), JOB, "{record}")));
            assertThat(journal.awaitingPayment()).isEmpty();
            assertThat(journal.unpublished()).extracting(Outbound::eventId).containsExactly(id("m2"));
        }
    }

    @Test
    void pruningForgetsOldJobsNothingIsOwedOnAndKeepsTheRest() {
        // invariant: a delivered job still awaiting its money, or an event not yet published, is never pruned
        NodeJob.Terms after = new NodeJob.Terms(id("q2"), key("router"), key("client"), "model", "embedding", "cc".repeat(32), 2,
                Msat.of(2000), PaymentTiming.AFTER, 100, 200, 150, false);
        JobId failed = JobId.of("01".repeat(32));
        JobId unpaid = JobId.of("02".repeat(32));
        JobId unpublished = JobId.of("03".repeat(32));
        JobId recent = JobId.of("04".repeat(32));
        try (NodeJobJournal journal = open()) {
            journal.insertQuoted(failed, TERMS, new ProcessedEvent(id("qa"), 4401, failed, 50), 60);
            journal.fail(failed, "input did not arrive", 70, List.of(Outbound.of(id("fa"), failed, "{}")), null);
            journal.markPublished(id("fa"));
            journal.insertQuoted(unpaid, after, event(id("qb"), 50), 60);
            journal.finish(unpaid, new NodeJob.Outcome(61, 62, "ee".repeat(32), 2, "text", ""), 62, List.of());
            journal.insertQuoted(unpublished, TERMS, event(id("qc"), 50), 60);
            journal.fail(unpublished, "error", 70, List.of(Outbound.of(id("fc"), unpublished, "{}")), null);
            journal.insertQuoted(recent, TERMS, event(id("qd"), 50), 900);
            journal.fail(recent, "error", 950, List.of(), null);
            // spares made ahead of any job, labelled with a router's announcement: one sent, one not yet
            JobId announcement = JobId.of("05".repeat(32));
            journal.spares().keep(new NodeSpares.Spare("e1".repeat(32), key("router"), Msat.of(2000), "lnbcrt1", 3600,
                    java.util.Optional.empty()), List.of(Outbound.of(id("sent"), announcement, "{}")));
            journal.spares().keep(new NodeSpares.Spare("e2".repeat(32), key("router"), Msat.of(2000), "lnbcrt2", 3600,
                    java.util.Optional.empty()), List.of(Outbound.of(id("unsent"), announcement, "{}")));
            journal.markPublished(id("sent"));

            assertThat(journal.pruneSettled(500)).isEqualTo(1);
            assertThat(journal.outbox(announcement)).extracting(Outbound::eventId)
                    .as("a spare sent is nobody's to keep; one not yet sent stays to be sent")
                    .containsExactly(id("unsent"));

            assertThat(journal.job(failed)).isEmpty();
            assertThat(journal.processed(id("qa"))).isFalse();
            assertThat(journal.outbox(failed)).isEmpty();
            assertThat(journal.job(unpaid)).as("pay-after work awaiting its invoice and money").isPresent();
            assertThat(journal.job(unpublished)).as("its error is not on any relay yet").isPresent();
            assertThat(journal.job(recent)).isPresent();
        }
    }

    /** An event id named by a word: the word's sha256, as the journal needs real ids. */
    private static EventId id(String name) {
        return EventId.of(org.fedai.nostr.Hex.encode(org.fedai.nostr.Sha256.hash(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    private static PublicKey key(String name) {
        return PublicKey.of(id(name).hex());
    }
}
