package org.fedai.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;

/**
 * A client's durable record of its jobs and, above all, of its payments: every invoice it paid and the
 * preimage it got, written before the proof is sent, so a crash between paying and proving loses no
 * money (the proof is re-sent on restart) and no invoice is ever paid twice.
 */
public final class ClientJournal implements AutoCloseable {

    /** A paid invoice and its preimage (hex). */
    public record Payment(JobId jobId, String bolt11, String preimage, Msat amount) {
    }

    /**
     * An invoice handed to the wallet and not yet known to be settled: journaled before the wallet is asked, so a
     * client killed while its wallet pays asks the wallet (lookup) on restart instead of paying again or forgetting.
     */
    public record PaymentAttempt(JobId jobId, String bolt11, String paymentHash, Msat amount, long startedAt) {
    }

    /** A job the client has not finished with. */
    public record OpenJob(JobId jobId, PublicKey router, String state) {
    }

    /**
     * What a restarted client needs to take an open job up again: when it was sent, what was asked (the
     * submission, as the role serialised it) and the router's quote event as received (empty before one came).
     * Jobs journaled before this table existed have none, and can only have their proofs re-sent.
     */
    public record JobRecord(JobId jobId, PublicKey router, String state, long createdAt, String submissionJson,
            String quoteEventJson) {
    }

    private final Connection connection;

    private ClientJournal(String url) {
        try {
            connection = SqliteConnections.open(url, """
                    CREATE TABLE IF NOT EXISTS client_jobs (
                      job_id TEXT PRIMARY KEY, router TEXT NOT NULL, state TEXT NOT NULL, node TEXT,
                      updated_at INTEGER NOT NULL)""", """
                    CREATE TABLE IF NOT EXISTS client_payments (
                      bolt11 TEXT PRIMARY KEY, job_id TEXT NOT NULL, preimage TEXT NOT NULL,
                      amount_msat INTEGER NOT NULL, paid_at INTEGER NOT NULL)""",
                    // added for crash recovery; a new table, so journals from before it open unchanged
                    """
                    CREATE TABLE IF NOT EXISTS client_job_records (
                      job_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, submission TEXT NOT NULL,
                      quote_event TEXT)""", """
                    CREATE TABLE IF NOT EXISTS client_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)""",
                    // added for crash-safe paying; a new table, so older journals open unchanged
                    """
                    CREATE TABLE IF NOT EXISTS client_payment_attempts (
                      bolt11 TEXT PRIMARY KEY, job_id TEXT NOT NULL, payment_hash TEXT NOT NULL,
                      amount_msat INTEGER NOT NULL, started_at INTEGER NOT NULL)""",
                    // the signed spec as sent: a client killed before any relay had it sends the same event again
                    """
                    CREATE TABLE IF NOT EXISTS client_spec_events (job_id TEXT PRIMARY KEY, event TEXT NOT NULL)""");
        } catch (SQLException e) {
            throw new JournalException("cannot open client journal " + url, e);
        }
    }

    public static ClientJournal open(Path file) {
        return new ClientJournal(SqliteConnections.fileUrl(file));
    }

    public static ClientJournal inMemory() {
        return new ClientJournal(SqliteConnections.IN_MEMORY);
    }

    /**
     * Unsynced (see {@link SqliteConnections#unsynced}): a state lost with the machine costs nothing, since what
     * money depends on, the preimage of a paid invoice, is {@link #recordPayment}, synced, and syncing it makes
     * every earlier state durable too.
     */
    public synchronized void recordState(JobId jobId, PublicKey router, String state, PublicKey node, long now) {
        try {
            SqliteConnections.unsynced(connection, () -> writeState(jobId.hex(), router.hex(), state,
                    node == null ? null : node.hex(), now));
        } catch (SQLException e) {
            throw new JournalException("cannot write client journal", e);
        }
    }

    private int writeState(String jobId, String router, String state, String node, long now) {
        return update("""
                INSERT INTO client_jobs (job_id, router, state, node, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(job_id) DO UPDATE SET state = excluded.state,
                  node = coalesce(excluded.node, client_jobs.node), updated_at = excluded.updated_at""",
                jobId, router, state, node, now);
    }

    /** What the job asks, written with its first state, before the spec is published. */
    public synchronized void recordSubmission(JobId jobId, long createdAt, String submissionJson) {
        update("INSERT OR IGNORE INTO client_job_records (job_id, created_at, submission) VALUES (?, ?, ?)",
                jobId.hex(), createdAt, submissionJson);
    }

    /** The signed spec event (JSON), written with the submission, before it is published. */
    public synchronized void recordSpecEvent(JobId jobId, String eventJson) {
        update("INSERT OR IGNORE INTO client_spec_events (job_id, event) VALUES (?, ?)", jobId.hex(), eventJson);
    }

    /** The signed spec event of {@code jobId}, if it was journaled (journals from before this table have none). */
    public synchronized Optional<String> specEvent(JobId jobId) {
        try (PreparedStatement s = SqliteConnections.prepare(connection,
                "SELECT event FROM client_spec_events WHERE job_id = ?", jobId.hex()); ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new JournalException("cannot read client spec events", e);
        }
    }

    /** The quote the client acted on (the latest, after a failover), written before the input goes out. */
    public synchronized void recordQuote(JobId jobId, String quoteEventJson) {
        update("UPDATE client_job_records SET quote_event = ? WHERE job_id = ?", quoteEventJson, jobId.hex());
    }

    /** Open jobs that can be resumed in full, oldest first. */
    public synchronized List<JobRecord> resumable() {
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT j.job_id, j.router, j.state, r.created_at, r.submission, r.quote_event
                FROM client_jobs j JOIN client_job_records r ON r.job_id = j.job_id
                WHERE j.state NOT IN ('DONE', 'FAILED') ORDER BY r.created_at, j.job_id""")) {
            List<JobRecord> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new JobRecord(JobId.of(rs.getString(1)), PublicKey.of(rs.getString(2)), rs.getString(3), rs.getLong(4),
                            rs.getString(5), rs.getString(6) == null ? "" : rs.getString(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new JournalException("cannot read client job records", e);
        }
    }

    /**
     * Binds the journal to the client key that wrote it: results are sealed to that key, so a journal reopened
     * under another one could pay nothing back. Returns the key the journal belongs to (this one when new).
     */
    public synchronized PublicKey claim(PublicKey clientPubkey) {
        update("INSERT OR IGNORE INTO client_meta (name, value) VALUES ('client_pubkey', ?)", clientPubkey.hex());
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT value FROM client_meta WHERE name = 'client_pubkey'")) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return PublicKey.of(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new JournalException("cannot read client journal owner", e);
        }
    }

    /** The routers of the jobs still open, sorted: whom a resuming client must listen to. */
    public synchronized List<PublicKey> openRouters() {
        return openJobs().stream().map(OpenJob::router).distinct().sorted(java.util.Comparator.comparing(PublicKey::hex))
                .toList();
    }

    /** Records a payment; false when this invoice was already paid (and nothing is written). */
    public synchronized boolean recordPayment(Payment p, long now) {
        return update("INSERT OR IGNORE INTO client_payments (bolt11, job_id, preimage, amount_msat, paid_at)"
                + " VALUES (?, ?, ?, ?, ?)", p.bolt11(), p.jobId().hex(), p.preimage(), p.amount().value(), now) == 1;
    }

    /**
     * Notes that {@code bolt11} is about to go to the wallet (synced, as a payment is): from now on its fate is the
     * wallet's to tell. Idempotent; the first attempt's time is kept.
     */
    public synchronized void recordAttempt(PaymentAttempt a) {
        update("INSERT OR IGNORE INTO client_payment_attempts (bolt11, job_id, payment_hash, amount_msat, started_at)"
                + " VALUES (?, ?, ?, ?, ?)", a.bolt11(), a.jobId().hex(), a.paymentHash(), a.amount().value(), a.startedAt());
    }

    /** The invoices of {@code jobId} handed to the wallet whose preimage the journal does not hold yet. */
    public synchronized List<PaymentAttempt> unsettledAttempts(JobId jobId) {
        try (PreparedStatement s = SqliteConnections.prepare(connection, """
                SELECT a.job_id, a.bolt11, a.payment_hash, a.amount_msat, a.started_at
                FROM client_payment_attempts a LEFT JOIN client_payments p ON p.bolt11 = a.bolt11
                WHERE a.job_id = ? AND p.bolt11 IS NULL ORDER BY a.started_at, a.bolt11""", jobId.hex());
                ResultSet rs = s.executeQuery()) {
            List<PaymentAttempt> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new PaymentAttempt(JobId.of(rs.getString(1)), rs.getString(2), rs.getString(3), Msat.of(rs.getLong(4)),
                        rs.getLong(5)));
            }
            return out;
        } catch (SQLException e) {
            throw new JournalException("cannot read client payment attempts", e);
        }
    }

    public synchronized Optional<Payment> payment(String bolt11) {
        List<Payment> found = payments("SELECT job_id, bolt11, preimage, amount_msat FROM client_payments"
                + " WHERE bolt11 = ?", bolt11);
        return found.stream().findFirst();
    }

    public synchronized List<Payment> paymentsFor(JobId jobId) {
        return payments("SELECT job_id, bolt11, preimage, amount_msat FROM client_payments WHERE job_id = ?"
                + " ORDER BY paid_at, bolt11", jobId.hex());
    }

    /**
     * Forgets jobs that ended (DONE or FAILED) before {@code cutoff}, with their payments and records; open jobs
     * and their payment attempts stay whatever their age, since a resume needs them.
     */
    public synchronized int pruneFinished(long cutoff) {
        try {
            return SqliteConnections.inTransaction(connection, () -> {
                String ended = "SELECT job_id FROM client_jobs WHERE state IN ('DONE', 'FAILED') AND updated_at < ?";
                for (String table : List.of("client_payments", "client_payment_attempts", "client_spec_events",
                        "client_job_records")) {
                    update("DELETE FROM " + table + " WHERE job_id IN (" + ended + ")", cutoff);
                }
                return update("DELETE FROM client_jobs WHERE job_id IN (" + ended + ")", cutoff);
            });
        } catch (SQLException e) {
            throw new JournalException("cannot prune the client journal", e);
        }
    }

    public synchronized List<OpenJob> openJobs() {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT job_id, router, state FROM client_jobs WHERE state NOT IN ('DONE', 'FAILED')")) {
            List<OpenJob> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new OpenJob(JobId.of(rs.getString(1)), PublicKey.of(rs.getString(2)), rs.getString(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new JournalException("cannot read client jobs", e);
        }
    }

    private List<Payment> payments(String sql, String arg) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, arg);
            List<Payment> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Payment(JobId.of(rs.getString(1)), rs.getString(2), rs.getString(3), Msat.of(rs.getLong(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new JournalException("cannot read client payments", e);
        }
    }

    private int update(String sql, Object... args) {
        try {
            return SqliteConnections.update(connection, sql, args);
        } catch (SQLException e) {
            throw new JournalException("cannot write client journal", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new JournalException("cannot close client journal", e);
        }
    }
}
