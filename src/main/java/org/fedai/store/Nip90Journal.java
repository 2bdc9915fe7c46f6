package org.fedai.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;

/**
 * A NIP-90 gateway's record of the requests it took: written before the first feedback goes out, so a restart
 * answers every accepted request (with its result, or an error) and none twice. The native job behind a request,
 * and the invoice its customer was asked to pay, are kept so a restarted gateway finds them again.
 */
public final class Nip90Journal implements AutoCloseable {

    /** Where a request stands. OPEN: taken, routed or being routed; the rest are final. */
    public enum State { OPEN, ANSWERED, FAILED }

    /** One request: the signed event as received, and what became of it. */
    public record Request(EventId requestId, String requestJson, State state, Optional<JobId> jobId, String bolt11,
            Msat amount, String detail) {
    }

    private final Connection connection;

    private Nip90Journal(String url) {
        try {
            connection = SqliteConnections.open(url, """
                    CREATE TABLE IF NOT EXISTS nip90_requests (
                      request_id TEXT PRIMARY KEY, request TEXT NOT NULL, state TEXT NOT NULL, job_id TEXT,
                      bolt11 TEXT, amount_msat INTEGER NOT NULL DEFAULT 0, detail TEXT NOT NULL DEFAULT '',
                      updated_at INTEGER NOT NULL)""", """
                    CREATE INDEX IF NOT EXISTS nip90_requests_by_job ON nip90_requests (job_id)""");
        } catch (SQLException e) {
            throw new JournalException("cannot open NIP-90 journal " + url, e);
        }
    }

    public static Nip90Journal open(Path file) {
        return new Nip90Journal(SqliteConnections.fileUrl(file));
    }

    public static Nip90Journal inMemory() {
        return new Nip90Journal(SqliteConnections.IN_MEMORY);
    }

    /** Takes a request; false when it was taken before (a relay delivered it again, or a restart re-read it). */
    public synchronized boolean take(EventId requestId, String requestJson, long now) {
        return update("INSERT OR IGNORE INTO nip90_requests (request_id, request, state, updated_at) VALUES (?, ?, ?, ?)",
                requestId, requestJson, State.OPEN.name(), now) == 1;
    }

    /** The native job routing the request, and the node's invoice its customer was asked to pay. */
    public synchronized void recordInvoice(EventId requestId, JobId jobId, String bolt11, Msat amount, long now) {
        update("UPDATE nip90_requests SET job_id = ?, bolt11 = ?, amount_msat = ?, updated_at = ? WHERE request_id = ?",
                jobId, bolt11, amount, now, requestId);
    }

    /** A final state; what was answered is in {@code detail} (the result's event id, or the error). */
    public synchronized void finish(EventId requestId, State state, String detail, long now) {
        if (state == State.OPEN) {
            throw new IllegalArgumentException("finish takes a final state");
        }
        update("UPDATE nip90_requests SET state = ?, detail = ?, updated_at = ? WHERE request_id = ?",
                state.name(), detail, now, requestId);
    }

    public synchronized Optional<Request> request(EventId requestId) {
        List<Request> found = select("WHERE request_id = ?", requestId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public synchronized Optional<Request> byJob(JobId jobId) {
        List<Request> found = select("WHERE job_id = ?", jobId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Requests not answered yet, oldest first: what a restarted gateway takes up again. */
    public synchronized List<Request> open() {
        return select("WHERE state = ? ORDER BY updated_at, request_id", State.OPEN.name());
    }

    public synchronized List<Request> all() {
        return select("ORDER BY updated_at, request_id");
    }

    private List<Request> select(String where, Object... args) {
        try (PreparedStatement s = SqliteConnections.prepare(connection, "SELECT request_id, request, state, job_id, "
                + "bolt11, amount_msat, detail FROM nip90_requests " + where, args)) {
            List<Request> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String job = rs.getString(4);
                    out.add(new Request(EventId.of(rs.getString(1)), rs.getString(2), State.valueOf(rs.getString(3)),
                            job == null || job.isEmpty() ? Optional.empty() : Optional.of(JobId.of(job)),
                            rs.getString(5) == null ? "" : rs.getString(5), Msat.of(rs.getLong(6)), rs.getString(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new JournalException("cannot read NIP-90 journal", e);
        }
    }

    private int update(String sql, Object... args) {
        try {
            return SqliteConnections.update(connection, sql, args);
        } catch (SQLException e) {
            throw new JournalException("cannot write NIP-90 journal", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new JournalException("cannot close NIP-90 journal", e);
        }
    }
}
