package org.fedai.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;

/**
 * An outbox table of a role's journal ({@code node_outbox} of {@link NodeJobJournal}, {@code router_outbox} of
 * {@link RouterLedger}): signed events written in the same transaction as the transition that made them, published
 * afterwards, and again after a restart until marked. Apart from the journals because the outbox is its own small
 * protocol (append, list unpublished, mark) that the job rows never read; the journal's lock and transaction wrap
 * every call here.
 */
final class OutboxTable {

    static final OutboxTable NODE = new OutboxTable("node_outbox");
    static final OutboxTable ROUTER = new OutboxTable("router_outbox");

    private final String table;

    private OutboxTable(String table) {
        this.table = table;
    }

    void createTable(Statement s) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS " + table + " (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " event_id TEXT NOT NULL UNIQUE, job_id TEXT NOT NULL, event_json TEXT NOT NULL,"
                + " published INTEGER NOT NULL DEFAULT 0)");
        // every transition flushes the outbox: index the unpublished rows, or each flush scans the role's history
        s.execute("CREATE INDEX IF NOT EXISTS " + table + "_unpublished ON " + table + " (seq) WHERE published = 0");
    }

    /** OR IGNORE: a transition retried after a crash writes the same event ids again. */
    void enqueue(Connection c, List<Outbound> outbox) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR IGNORE INTO " + table + " (event_id, job_id, event_json) VALUES (?, ?, ?)")) {
            for (Outbound o : outbox) {
                ps.setString(1, o.eventId().hex());
                ps.setString(2, o.jobId().hex());
                ps.setString(3, o.eventJson());
                ps.executeUpdate();
            }
        }
    }

    List<Outbound> unpublished(Connection c) throws SQLException {
        return list(c, "SELECT seq, event_id, job_id, event_json FROM " + table + " WHERE published = 0 ORDER BY seq",
                null);
    }

    List<Outbound> ofJob(Connection c, JobId jobId) throws SQLException {
        return list(c, "SELECT seq, event_id, job_id, event_json FROM " + table + " WHERE job_id = ? ORDER BY seq",
                jobId);
    }

    void markPublished(Connection c, EventId eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET published = 1 WHERE event_id = ?")) {
            ps.setString(1, eventId.hex());
            ps.executeUpdate();
        }
    }

    private List<Outbound> list(Connection c, String sql, JobId jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (jobId != null) {
                ps.setString(1, jobId.hex());
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Outbound> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Outbound(rs.getLong(1), EventId.of(rs.getString(2)), JobId.of(rs.getString(3)), rs.getString(4)));
                }
                return out;
            }
        }
    }
}
