package org.fedai.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;

/**
 * A market node's durable memory in SQLite: every job with its state, the ids of the events it has acted on
 * (so a replay after a restart is recognised) and an outbox of signed events. A transition and the events it
 * will publish are written in one transaction, before anything is published; the node publishes the outbox
 * afterwards and marks each event once a relay stored it. After a crash, unpublished events go out again
 * with the same ids (relays and peers drop the copies), so no side effect is lost or doubled.
 * Thread-safe: one connection, serialised.
 */
public final class NodeJobJournal implements AutoCloseable {

    /** An event the node acted on: remembered so that the same event is never acted on twice. */
    public record ProcessedEvent(EventId eventId, int kind, JobId jobId, long createdAt) {
    }

    private final Connection connection;

    private NodeJobJournal(String url) {
        try {
            connection = SqliteConnections.open(url);
            try (Statement s = connection.createStatement()) {
                NodeJobRows.createTable(s);
                s.execute("""
                        CREATE TABLE IF NOT EXISTS node_processed_events (
                          event_id TEXT PRIMARY KEY, kind INTEGER NOT NULL, job_id TEXT NOT NULL,
                          created_at INTEGER NOT NULL
                        ) WITHOUT ROWID""");
                OutboxTable.NODE.createTable(s);
                NodeParts.createTable(s);
                NodeSpares.createTable(s);
            }
        } catch (SQLException e) {
            throw new NodeJournalException("cannot open node job journal " + url, e);
        }
    }

    public static NodeJobJournal open(Path file) {
        return new NodeJobJournal("jdbc:sqlite:" + file.toAbsolutePath());
    }

    public static NodeJobJournal inMemory() {
        return new NodeJobJournal("jdbc:sqlite::memory:");
    }

    // ---- processed events -------------------------------------------------------------------------------------

    public synchronized boolean processed(EventId eventId) {
        return transaction(() -> exists("SELECT 1 FROM node_processed_events WHERE event_id = ?", eventId));
    }

    /** The newest created_at of any event acted on, 0 when none: where a resubscription starts (minus a margin). */
    public synchronized long newestProcessedCreatedAt() {
        return transaction(() -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT COALESCE(MAX(created_at), 0) FROM node_processed_events");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    // ---- transitions ------------------------------------------------------------------------------------------

    /** A new job in QUOTED from its quote; false (and nothing written) when the job is already known. */
    public synchronized boolean insertQuoted(JobId jobId, NodeJob.Terms t, ProcessedEvent quote, long now) {
        return insertQuoted(jobId, t, quote, java.util.Optional.empty(), now);
    }

    /**
     * The same, with the spare invoice the quote carried as the job's invoice in the same write: from then on the
     * spare is this job's (a crash cannot leave a job whose client paid a spare the job does not know), and a hold
     * spare's preimage the job's preimage.
     */
    public synchronized boolean insertQuoted(JobId jobId, NodeJob.Terms t, ProcessedEvent quote,
            java.util.Optional<NodeSpares.Spare> spare, long now) {
        return transaction(t.timing() == PaymentTiming.FREE, () -> {
            if (exists("SELECT 1 FROM node_jobs WHERE job_id = ?", jobId)) {
                return false;
            }
            update("INSERT INTO node_jobs (job_id, state, quote_event, router, client, model, task, input_sha256,"
                    + " units, price_msat, timing, accept_by, deliver_by, quote_expires_at, run_on_payment, created_at,"
                    + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", jobId,
                    NodeJobState.QUOTED.name(), t.quoteEventId(), t.router(), t.client(), t.model(), t.task(),
                    t.inputSha256(), t.units(), t.price(), t.timing().code(), t.acceptBy(), t.deliverBy(),
                    t.quoteExpiresAt(), t.runOnPayment() ? 1 : 0, now, now);
            if (spare.isPresent()) {
                update("UPDATE node_jobs SET bolt11 = ?, payment_hash = ?, invoice_expires_at = ?, preimage = ?"
                        + " WHERE job_id = ?", spare.get().bolt11(), spare.get().paymentHash(), spare.get().expiresAt(),
                        spare.get().preimage().orElse(null), jobId);
            }
            insertProcessed(quote);
            return true;
        });
    }

    public synchronized void accept(JobId jobId, long now, List<Outbound> outbox) {
        transaction(free(jobId), () -> {
            setState(jobId, NodeJobState.ACCEPTED, now);
            OutboxTable.NODE.enqueue(connection, outbox);
            return null;
        });
    }

    /** Keeps the job's invoice; {@code state} is INVOICED before work, or DONE kept for pay-after-work. */
    public synchronized void recordInvoice(JobId jobId, NodeJob.InvoiceRef invoice, NodeJobState state, long now,
            List<Outbound> outbox) {
        transaction(() -> {
            update("UPDATE node_jobs SET bolt11 = ?, payment_hash = ?, invoice_expires_at = ? WHERE job_id = ?",
                    invoice.bolt11(), invoice.paymentHash(), invoice.expiresAt(), jobId);
            setState(jobId, state, now);
            OutboxTable.NODE.enqueue(connection, outbox);
            return null;
        });
    }

    /** The client's input, with what taking it publishes ({@code input_received}), in one transaction. */
    public synchronized void recordInput(JobId jobId, NodeJob.Input input, ProcessedEvent event, long now,
            List<Outbound> outbox) {
        transaction(free(jobId), () -> {
            update("UPDATE node_jobs SET input_event = ?, input_texts = ?, input_params = ?, updated_at = ?"
                    + " WHERE job_id = ?", input.eventId(), NodeJobRows.json(input.texts()), NodeJobRows.json(input.params()), now, jobId);
            if (event != null) { // null: the input came sealed in the quote (early_input), no event of its own
                insertProcessed(event);
            }
            OutboxTable.NODE.enqueue(connection, outbox);
            return null;
        });
    }

    /** The work order authorised the job: PAID, or {@code state} kept for free work that ran before it came. */
    public synchronized void authorize(JobId jobId, NodeJob.Order order, ProcessedEvent event, NodeJobState state,
            long now) {
        transaction(free(jobId), () -> {
            update("UPDATE node_jobs SET order_event = ?, authorization = ?, payment_hashes = ?, order_deliver_by = ?"
                    + " WHERE job_id = ?", order.eventId(), order.authorization().code(), NodeJobRows.json(order.paymentHashes()),
                    order.deliverBy(), jobId);
            setState(jobId, state, now);
            insertProcessed(event);
            return null;
        });
    }

    /** PAID before any work order: the node's own wallet showed a run-on-payment job's invoice settled. */
    public synchronized void recordPaid(JobId jobId, long now) {
        transaction(() -> {
            setState(jobId, NodeJobState.PAID, now);
            return null;
        });
    }

    public synchronized void start(JobId jobId, long startedAt, List<Outbound> outbox) {
        transaction(free(jobId), () -> {
            update("UPDATE node_jobs SET started_at = ? WHERE job_id = ?", startedAt, jobId);
            setState(jobId, NodeJobState.RUNNING, startedAt);
            OutboxTable.NODE.enqueue(connection, outbox);
            return null;
        });
    }

    /** DONE, with the result, status and metering events in the outbox in one transaction. */
    public synchronized void finish(JobId jobId, NodeJob.Outcome outcome, long now, List<Outbound> outbox) {
        transaction(free(jobId), () -> {
            update("UPDATE node_jobs SET finished_at = ?, output_sha256 = ?, used_units = ?, unit = ?, error = ''"
                    + " WHERE job_id = ?", outcome.finishedAt(), outcome.outputSha256(), outcome.units(),
                    outcome.unit(), jobId);
            setState(jobId, NodeJobState.DONE, now);
            OutboxTable.NODE.enqueue(connection, outbox);
            return null;
        });
    }

    /**
     * DONE like {@link #finish}, keeping in the same transaction the preimage that locks the result (atomic): the
     * locked result may be out the moment this commits, so the key to it must never be lost.
     */
    public synchronized void finishLocked(JobId jobId, NodeJob.Outcome outcome, String preimage, long now,
            List<Outbound> outbox) {
        transaction(() -> {
            update("UPDATE node_jobs SET preimage = ? WHERE job_id = ?", preimage, jobId);
            update("UPDATE node_jobs SET finished_at = ?, output_sha256 = ?, used_units = ?, unit = ?, error = ''"
                    + " WHERE job_id = ?", outcome.finishedAt(), outcome.outputSha256(), outcome.units(),
                    outcome.unit(), jobId);
            setState(jobId, NodeJobState.DONE, now);
            OutboxTable.NODE.enqueue(connection, outbox);
            return null;
        });
    }

    /**
     * Keeps the preimage of a hold invoice before the invoice is asked of the wallet: a hold invoice whose
     * preimage was lost could never be settled. Kept only once: a retry after a crash reuses it.
     */
    public synchronized String keepPreimage(JobId jobId, String preimage) {
        return transaction(() -> {
            update("UPDATE node_jobs SET preimage = ? WHERE job_id = ? AND preimage IS NULL", preimage, jobId);
            return preimageOf(jobId).orElseThrow();
        });
    }

    /** The secret preimage of a hold or atomic job's invoice (64 hex), once kept. */
    public synchronized Optional<String> preimage(JobId jobId) {
        return transaction(() -> preimageOf(jobId));
    }

    private Optional<String> preimageOf(JobId jobId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT preimage FROM node_jobs WHERE job_id = ?")) {
            ps.setString(1, jobId.hex());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Hold and atomic jobs delivered but not yet settled: the sweep invoices (atomic), settles what the wallet
     * holds and records the payment.
     */
    public synchronized List<NodeJob> awaitingSettlement() {
        return transaction(() -> query("SELECT " + NodeJobRows.COLUMNS + " FROM node_jobs WHERE state = 'DONE'"
                + " AND timing IN ('hold', 'atomic') AND settled_at IS NULL ORDER BY created_at, job_id"));
    }

    /** FAILED with {@code error}; {@code cause} (may be null) is the event that made it fail. */
    public synchronized void fail(JobId jobId, String error, long now, List<Outbound> outbox, ProcessedEvent cause) {
        transaction(free(jobId), () -> {
            update("UPDATE node_jobs SET finished_at = ?, error = ? WHERE job_id = ?", now, error, jobId);
            setState(jobId, NodeJobState.FAILED, now);
            OutboxTable.NODE.enqueue(connection, outbox);
            if (cause != null) {
                insertProcessed(cause);
            }
            return null;
        });
    }

    /**
     * Pay-after-work jobs delivered whose payment the node has not yet recorded: the sweep invoices those the wallet
     * could not invoice yet (down, or the node killed in between), asks the wallet about the rest and, once paid,
     * publishes the second metering record.
     */
    public synchronized List<NodeJob> awaitingPayment() {
        return transaction(() -> query("SELECT " + NodeJobRows.COLUMNS + " FROM node_jobs WHERE state = 'DONE' AND timing = 'after'"
                + " AND settled_at IS NULL ORDER BY created_at, job_id"));
    }

    /**
     * Forgets jobs finished before {@code cutoff} that nothing is owed on any more, with their parts, published
     * outbox rows and processed-event ids: failed jobs (nothing is owed for undone work) and delivered ones whose
     * payment is settled or was checked before the work ({@code before}, {@code external}; {@code free} owes
     * nothing). Delivered jobs still awaiting their money, and any job with an event not yet published, are kept.
     * Safe for dedupe because every event that names a job is refused once its quote, input or order deadline
     * has passed, long before a retention of a day or more. Returns the number of jobs forgotten.
     */
    public synchronized int pruneSettled(long cutoff) {
        return transaction(() -> {
            String prunable = "SELECT job_id FROM node_jobs j WHERE updated_at < ? AND (state = 'FAILED'"
                    + " OR (state = 'DONE' AND (settled_at IS NOT NULL OR timing IN ('before', 'free', 'external'))))"
                    + " AND NOT EXISTS (SELECT 1 FROM node_outbox o WHERE o.job_id = j.job_id AND o.published = 0)";
            update("DELETE FROM node_outbox WHERE job_id IN (" + prunable + ")", cutoff);
            // a spare made ahead of any job is labelled with the router's announcement: once sent it is nobody's
            update("DELETE FROM node_outbox WHERE published = 1 AND job_id NOT IN (SELECT job_id FROM node_jobs)");
            update("DELETE FROM node_parts WHERE job_id IN (" + prunable + ")", cutoff);
            update("DELETE FROM node_processed_events WHERE job_id IN (" + prunable + ")", cutoff);
            return update("DELETE FROM node_jobs WHERE job_id IN (" + prunable + ")", cutoff);
        });
    }

    /** The job's invoice was paid; {@code outbox} holds what that triggers (the second metering record). */
    public synchronized void recordSettlement(JobId jobId, long settledAt, List<Outbound> outbox) {
        transaction(() -> {
            update("UPDATE node_jobs SET settled_at = ?, updated_at = ? WHERE job_id = ?", settledAt, settledAt,
                    jobId);
            OutboxTable.NODE.enqueue(connection, outbox);
            return null;
        });
    }

    /** Appends events to a job's outbox without changing its state (e.g. a second metering record). */
    public synchronized void enqueueOnly(List<Outbound> outbox) {
        transaction(() -> {
            OutboxTable.NODE.enqueue(connection, outbox);
            return null;
        });
    }

    /** The parts of {@code partial} jobs, in this journal's transactions (same connection, same lock). */
    public NodeParts parts() {
        return new NodeParts(this);
    }

    /** The node's spare invoices, in this journal's transactions (same connection, same lock). */
    public NodeSpares spares() {
        return new NodeSpares(this);
    }

    synchronized <T> T inTransaction(SqliteConnections.SqlWork<T> work) {
        return transaction(work);
    }

    Connection connection() {
        return connection;
    }

    void enqueueAll(List<Outbound> outbox) throws SQLException {
        OutboxTable.NODE.enqueue(connection, outbox);
    }

    // ---- outbox -----------------------------------------------------------------------------------------------

    public synchronized List<Outbound> unpublished() {
        return transaction(() -> OutboxTable.NODE.unpublished(connection));
    }

    public synchronized void markPublished(EventId eventId) {
        // unsynced: a mark lost with the machine only sends the event again, with the same id
        transaction(true, () -> {
            OutboxTable.NODE.markPublished(connection, eventId);
            return null;
        });
    }

    /** Every outbox event of a job, published or not, in order. */
    public synchronized List<Outbound> outbox(JobId jobId) {
        return transaction(() -> OutboxTable.NODE.ofJob(connection, jobId));
    }

    // ---- queries ----------------------------------------------------------------------------------------------

    public synchronized Optional<NodeJob> job(JobId jobId) {
        return transaction(() -> query("SELECT " + NodeJobRows.COLUMNS + " FROM node_jobs WHERE job_id = ?", jobId).stream()
                .findFirst());
    }

    public synchronized Optional<NodeJob> jobByPaymentHash(String paymentHash) {
        return transaction(() -> query("SELECT " + NodeJobRows.COLUMNS + " FROM node_jobs WHERE payment_hash = ?", paymentHash)
                .stream().findFirst());
    }

    /** Every job, oldest first. */
    public synchronized List<NodeJob> jobs() {
        return transaction(() -> query("SELECT " + NodeJobRows.COLUMNS + " FROM node_jobs ORDER BY created_at, job_id"));
    }

    public synchronized List<NodeJob> openJobs() {
        return transaction(() -> query("SELECT " + NodeJobRows.COLUMNS + " FROM node_jobs WHERE state IN ("
                + NodeJobRows.OPEN_STATES + ") ORDER BY created_at, job_id"));
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new NodeJournalException("cannot close node job journal", e);
        }
    }

    // ---- internals --------------------------------------------------------------------------------------------

    private <T> T transaction(SqliteConnections.SqlWork<T> work) {
        return transaction(false, work);
    }

    /** {@code unsynced}: see {@link SqliteConnections#unsynced}; the transitions of free jobs, which move no money. */
    private <T> T transaction(boolean unsynced, SqliteConnections.SqlWork<T> work) {
        try {
            return unsynced ? SqliteConnections.unsynced(connection, () -> SqliteConnections.inTransaction(connection,
                    work)) : SqliteConnections.inTransaction(connection, work);
        } catch (SQLException e) {
            throw new NodeJournalException("node job journal: " + e.getMessage(), e);
        }
    }

    private boolean free(JobId jobId) {
        return transaction(() -> exists("SELECT 1 FROM node_jobs WHERE job_id = ? AND timing = 'free'", jobId));
    }

    private void setState(JobId jobId, NodeJobState state, long now) throws SQLException {
        if (update("UPDATE node_jobs SET state = ?, updated_at = ? WHERE job_id = ?", state.name(), now, jobId) != 1) {
            throw new SQLException("no job " + jobId);
        }
    }

    private void insertProcessed(ProcessedEvent e) throws SQLException {
        update("INSERT OR IGNORE INTO node_processed_events (event_id, kind, job_id, created_at) VALUES (?, ?, ?, ?)",
                e.eventId(), e.kind(), e.jobId(), e.createdAt());
    }

    private boolean exists(String sql, Object key) throws SQLException {
        try (PreparedStatement ps = SqliteConnections.prepare(connection, sql, key)) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private int update(String sql, Object... args) throws SQLException {
        return SqliteConnections.update(connection, sql, args);
    }

    private List<NodeJob> query(String sql, Object key) throws SQLException {
        try (PreparedStatement ps = key == null ? connection.prepareStatement(sql)
                : SqliteConnections.prepare(connection, sql, key)) {
            try (ResultSet rs = ps.executeQuery()) {
                List<NodeJob> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(NodeJobRows.row(rs));
                }
                return out;
            }
        }
    }

    private List<NodeJob> query(String sql) throws SQLException {
        return query(sql, null);
    }

}
