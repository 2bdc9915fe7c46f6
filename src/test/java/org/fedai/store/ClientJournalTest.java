package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client journal on a real SQLite file: resumable jobs, its owner key, and journals from before both. */
class ClientJournalTest {

    private static final JobId JOB = JobId.of("aa".repeat(32));
    private static final PublicKey ROUTER = PublicKey.of("bb".repeat(32));

    @TempDir
    Path dir;

    @Test
    void aJobIsResumableFromItsSubmissionAndLatestQuoteUntilItEnds() {
        Path file = dir.resolve("client.db");
        try (ClientJournal journal = ClientJournal.open(file)) {
            journal.recordSubmission(JOB, 1_700_000_000, "{\"model\":\"m\"}");
            assertThat(journal.resumable()).as("no state yet: the spec never went out").isEmpty();
            journal.recordState(JOB, ROUTER, "SPEC_SENT", null, 1_700_000_000);
            journal.recordQuote(JOB, "{\"first\":1}");
            journal.recordQuote(JOB, "{\"failover\":2}");
            journal.recordState(JOB, ROUTER, "QUOTED", PublicKey.of("cc".repeat(32)), 1_700_000_001);
        }
        try (ClientJournal journal = ClientJournal.open(file)) {
            assertThat(journal.resumable()).containsExactly(new ClientJournal.JobRecord(JOB, ROUTER, "QUOTED",
                    1_700_000_000, "{\"model\":\"m\"}", "{\"failover\":2}"));
            assertThat(journal.openRouters()).containsExactly(ROUTER);
            journal.recordState(JOB, ROUTER, "DONE", null, 1_700_000_009);
            assertThat(journal.resumable()).isEmpty();
            assertThat(journal.openRouters()).isEmpty();
        }
    }

    @Test
    void theJournalBelongsToTheFirstKeyThatClaimsIt() {
        try (ClientJournal journal = ClientJournal.open(dir.resolve("client.db"))) {
            assertThat(journal.claim(PublicKey.of("11".repeat(32)))).isEqualTo(PublicKey.of("11".repeat(32)));
            assertThat(journal.claim(PublicKey.of("22".repeat(32)))).isEqualTo(PublicKey.of("11".repeat(32)));
        }
    }

    @Test
    void aJournalFromBeforeJobRecordsOpensWithItsPaymentsAndOpenJobs() throws Exception {
        Path file = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection(SqliteConnections.fileUrl(file));
                Statement s = c.createStatement()) {
            // the schema as it was before crash recovery, with a paid, unproven job in it
            s.execute("CREATE TABLE client_jobs (job_id TEXT PRIMARY KEY, router TEXT NOT NULL, state TEXT NOT NULL,"
                    + " node TEXT, updated_at INTEGER NOT NULL)");
            s.execute("CREATE TABLE client_payments (bolt11 TEXT PRIMARY KEY, job_id TEXT NOT NULL, preimage TEXT"
                    + " NOT NULL, amount_msat INTEGER NOT NULL, paid_at INTEGER NOT NULL)");
            s.execute("INSERT INTO client_jobs VALUES ('" + JOB + "', '" + ROUTER + "', 'PAID', NULL, 1)");
            s.execute("INSERT INTO client_payments VALUES ('lnbcrt1', '" + JOB + "', '" + "dd".repeat(32)
                    + "', 2000, 1)");
        }
        try (ClientJournal journal = ClientJournal.open(file)) {
            assertThat(journal.openJobs()).containsExactly(new ClientJournal.OpenJob(JOB, ROUTER, "PAID"));
            assertThat(journal.paymentsFor(JOB)).extracting(ClientJournal.Payment::amount).containsExactly(Msat.of(2000));
            assertThat(journal.resumable()).as("only its proof can be re-sent").isEmpty();
            JobId resumable = JobId.of("ee".repeat(32));
            journal.recordSubmission(resumable, 5, "{}");
            journal.recordState(resumable, ROUTER, "SPEC_SENT", null, 5);
            assertThat(journal.resumable()).extracting(ClientJournal.JobRecord::jobId).containsExactly(resumable);
        }
    }

    @Test
    void pruningForgetsOnlyJobsThatEndedBeforeTheCutoff() {
        // invariant: a job a resume still needs (open, whatever its age) keeps its records and payment attempts
        JobId ended = JobId.of("01".repeat(32));
        JobId open = JobId.of("02".repeat(32));
        JobId recent = JobId.of("03".repeat(32));
        try (ClientJournal journal = ClientJournal.open(dir.resolve("client.db"))) {
            for (JobId job : java.util.List.of(ended, open, recent)) {
                long at = job.equals(recent) ? 5_000 : 100;
                journal.recordSubmission(job, at, "{}");
                journal.recordSpecEvent(job, "{\"id\":\"" + job + "\"}");
                journal.recordAttempt(new ClientJournal.PaymentAttempt(job, "lnbcrt" + job, "ff".repeat(32), Msat.of(10), at));
                journal.recordPayment(new ClientJournal.Payment(job, "lnbcrt" + job, "ee".repeat(32), Msat.of(10)), at);
                journal.recordState(job, ROUTER, job.equals(open) ? "PAYING" : "DONE", null, at);
            }

            assertThat(journal.pruneFinished(1_000)).isEqualTo(1);

            assertThat(journal.paymentsFor(ended)).isEmpty();
            assertThat(journal.specEvent(ended)).isEmpty();
            assertThat(journal.paymentsFor(open)).hasSize(1);
            assertThat(journal.resumable()).extracting(ClientJournal.JobRecord::jobId).containsExactly(open);
            assertThat(journal.paymentsFor(recent)).hasSize(1);
        }
    }
}
