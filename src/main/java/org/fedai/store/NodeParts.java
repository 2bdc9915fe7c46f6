package org.fedai.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.JobId;

/**
 * The parts of a {@code partial} job (event-kinds/market-flow.md): each with its own preimage (kept before its
 * hold invoice names the hash), its invoice, and whether it was delivered and settled. Written in the node
 * journal's transactions, with the events a step publishes, so a restart resumes at the right part.
 */
public final class NodeParts {

    /** One part; {@code invoice} empty until issued. */
    public record Part(int part, String preimage, Optional<NodeJob.InvoiceRef> invoice, boolean delivered,
            boolean settled) {
    }

    private final NodeJobJournal journal;

    NodeParts(NodeJobJournal journal) {
        this.journal = journal;
    }

    static void createTable(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS node_parts (
                  job_id TEXT NOT NULL, part INTEGER NOT NULL, preimage TEXT NOT NULL,
                  bolt11 TEXT, payment_hash TEXT UNIQUE, expires_at INTEGER,
                  delivered INTEGER NOT NULL DEFAULT 0, settled INTEGER NOT NULL DEFAULT 0,
                  PRIMARY KEY (job_id, part)
                )""");
    }

    public List<Part> of(JobId jobId) {
        return journal.inTransaction(() -> {
            List<Part> out = new ArrayList<>();
            try (PreparedStatement ps = journal.connection().prepareStatement("SELECT part, preimage, bolt11,"
                    + " payment_hash, expires_at, delivered, settled FROM node_parts WHERE job_id = ? ORDER BY part")) {
                ps.setString(1, jobId.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Optional<NodeJob.InvoiceRef> invoice = rs.getString(3) == null ? Optional.empty()
                                : Optional.of(new NodeJob.InvoiceRef(rs.getString(3), rs.getString(4), rs.getLong(5)));
                        out.add(new Part(rs.getInt(1), rs.getString(2), invoice, rs.getInt(6) == 1,
                                rs.getInt(7) == 1));
                    }
                }
            }
            return out;
        });
    }

    /** Keeps a part's preimage unless one is kept already; returns the kept one. */
    public String keepPreimage(JobId jobId, int part, String preimage) {
        journal.inTransaction(() -> update("INSERT OR IGNORE INTO node_parts (job_id, part, preimage) VALUES (?, ?, ?)",
                jobId, part, preimage));
        return of(jobId).stream().filter(p -> p.part() == part).findFirst().orElseThrow().preimage();
    }

    public void recordInvoice(JobId jobId, int part, NodeJob.InvoiceRef invoice, List<Outbound> out) {
        journal.inTransaction(() -> {
            update("UPDATE node_parts SET bolt11 = ?, payment_hash = ?, expires_at = ? WHERE job_id = ? AND part = ?",
                    invoice.bolt11(), invoice.paymentHash(), invoice.expiresAt(), jobId, part);
            journal.enqueueAll(out);
            return null;
        });
    }

    /** The part's result and metering record are in the outbox: never run again. */
    public void deliver(JobId jobId, int part, List<Outbound> out) {
        journal.inTransaction(() -> {
            update("UPDATE node_parts SET delivered = 1 WHERE job_id = ? AND part = ?", jobId, part);
            journal.enqueueAll(out);
            return null;
        });
    }

    public void settled(JobId jobId, int part) {
        journal.inTransaction(() -> update("UPDATE node_parts SET settled = 1 WHERE job_id = ? AND part = ?", jobId,
                part));
    }

    private int update(String sql, Object... args) throws SQLException {
        return SqliteConnections.update(journal.connection(), sql, args);
    }
}
