package org.fedai.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.fedai.store.NodeJobJournal.Outbound;

/**
 * The {@code node_outbox} table of {@link NodeJobJournal}: signed events written in the same transaction as the
 * transition that made them, published afterwards. Apart from the journal because the outbox is its own small
 * protocol (append, list unpublished, mark) that the job rows never read; the journal's lock and transaction
 * wrap every call here.
 */
final class NodeOutboxTable {

    private NodeOutboxTable() {
    }

    static void createTable(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS node_outbox (
                  seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE,
                  job_id TEXT NOT NULL, event_json TEXT NOT NULL, published INTEGER NOT NULL DEFAULT 0
                )""");
        // every transition flushes the outbox: index the unpublished rows, or each flush scans the node's history
        s.execute("CREATE INDEX IF NOT EXISTS node_outbox_unpublished ON node_outbox (seq) WHERE published = 0");
    }

    /** OR IGNORE: a transition retried after a crash writes the same event ids again. */
    static void enqueue(Connection c, List<Outbound> outbox) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR IGNORE INTO node_outbox (event_id, job_id, event_json) VALUES (?, ?, ?)")) {
            for (Outbound o : outbox) {
                ps.setString(1, o.eventId());
                ps.setString(2, o.jobId());
                ps.setString(3, o.eventJson());
                ps.executeUpdate();
            }
        }
    }

    static List<Outbound> unpublished(Connection c) throws SQLException {
        return list(c, "SELECT seq, event_id, job_id, event_json FROM node_outbox WHERE published = 0 ORDER BY seq",
                null);
    }

    static List<Outbound> ofJob(Connection c, String jobId) throws SQLException {
        return list(c, "SELECT seq, event_id, job_id, event_json FROM node_outbox WHERE job_id = ? ORDER BY seq",
                jobId);
    }

    static void markPublished(Connection c, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE node_outbox SET published = 1 WHERE event_id = ?")) {
            ps.setString(1, eventId);
            ps.executeUpdate();
        }
    }

    private static List<Outbound> list(Connection c, String sql, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (jobId != null) {
                ps.setString(1, jobId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Outbound> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Outbound(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
                return out;
            }
        }
    }
}
