package org.fedai.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;

/**
 * The node's spare invoices (4402-invoice.md, "Spare invoices"): made before their job exists and handed to one
 * router, which may put each in one later quote at its price. Kept in the node journal's transactions, with the sealed
 * 4402 that hands it over in the same write, so a spare is never handed over unrecorded. A spare is used once a job's
 * invoice is it: node_jobs' unique payment hash is what keeps it to one job.
 */
public final class NodeSpares {

    /**
     * One spare: the invoice, and the router it was handed to; {@code preimage} (64 hex) for a hold invoice, whose
     * preimage the node chose and must keep to settle it (hold and atomic jobs), empty for a plain one.
     */
    public record Spare(String paymentHash, PublicKey router, Msat amount, String bolt11, long expiresAt,
            Optional<String> preimage) {

        public NodeJob.InvoiceRef invoice() {
            return new NodeJob.InvoiceRef(bolt11, paymentHash, expiresAt);
        }

        public boolean hold() {
            return preimage.isPresent();
        }
    }

    private final NodeJobJournal journal;

    NodeSpares(NodeJobJournal journal) {
        this.journal = journal;
    }

    static void createTable(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS node_spares (
                  payment_hash TEXT PRIMARY KEY, router TEXT NOT NULL, amount_msat INTEGER NOT NULL,
                  bolt11 TEXT NOT NULL, expires_at INTEGER NOT NULL
                ) WITHOUT ROWID""");
        s.execute("CREATE INDEX IF NOT EXISTS node_spares_router ON node_spares (router, amount_msat)");
        NodeJobRows.addColumnIfMissing(s, "node_spares", "preimage", "TEXT"); // issue 17: hold spares
    }

    /**
     * Records a spare and the event that hands it to its router, in one transaction. A hold spare's preimage is kept
     * in the same write, before anyone but the wallet knows its invoice: none can be paid before it is kept.
     */
    public void keep(Spare spare, List<Outbound> handOver) {
        journal.inTransaction(() -> {
            try (PreparedStatement ps = journal.connection().prepareStatement("INSERT INTO node_spares"
                    + " (payment_hash, router, amount_msat, bolt11, expires_at, preimage) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, spare.paymentHash());
                ps.setString(2, spare.router().hex());
                ps.setLong(3, spare.amount().value());
                ps.setString(4, spare.bolt11());
                ps.setLong(5, spare.expiresAt());
                ps.setString(6, spare.preimage().orElse(null));
                ps.executeUpdate();
            }
            journal.enqueueAll(handOver);
            return null;
        });
    }

    /** The spare with this payment hash, while no job has it as its invoice. */
    public Optional<Spare> unused(String paymentHash) {
        return journal.inTransaction(() -> {
            try (PreparedStatement ps = journal.connection().prepareStatement("SELECT payment_hash, router,"
                    + " amount_msat, bolt11, expires_at, preimage FROM node_spares s WHERE payment_hash = ?"
                    + " AND NOT EXISTS"
                    + " (SELECT 1 FROM node_jobs j WHERE j.payment_hash = s.payment_hash)")) {
                ps.setString(1, paymentHash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Spare(rs.getString(1), PublicKey.of(rs.getString(2)),
                            Msat.of(rs.getLong(3)), rs.getString(4), rs.getLong(5),
                            Optional.ofNullable(rs.getString(6)))) : Optional.empty();
                }
            }
        });
    }

    /**
     * How many unused spares at {@code amount}, still payable at {@code payableAt}, {@code router} holds: hold
     * invoices ({@code hold}) or plain ones.
     */
    public int held(PublicKey router, Msat amount, long payableAt, boolean hold) {
        return journal.inTransaction(() -> {
            try (PreparedStatement ps = journal.connection().prepareStatement("SELECT count(*) FROM node_spares s"
                    + " WHERE router = ? AND amount_msat = ? AND expires_at > ? AND (preimage IS NOT NULL) = ?"
                    + " AND NOT EXISTS"
                    + " (SELECT 1 FROM node_jobs j WHERE j.payment_hash = s.payment_hash)")) {
                ps.setString(1, router.hex());
                ps.setLong(2, amount.value());
                ps.setLong(3, payableAt);
                ps.setBoolean(4, hold);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    /** The payment hashes of the unused hold spares not yet expired at {@code now}, at most {@code limit}. */
    public List<String> unusedHold(long now, int limit) {
        return journal.inTransaction(() -> {
            try (PreparedStatement ps = journal.connection().prepareStatement("SELECT payment_hash FROM node_spares s"
                    + " WHERE preimage IS NOT NULL AND expires_at > ? AND NOT EXISTS"
                    + " (SELECT 1 FROM node_jobs j WHERE j.payment_hash = s.payment_hash) LIMIT ?")) {
                ps.setLong(1, now);
                ps.setInt(2, limit);
                List<String> hashes = new java.util.ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hashes.add(rs.getString(1));
                    }
                }
                return hashes;
            }
        });
    }

    /** Forgets an unused spare: no quote may make it a job's invoice from now on. */
    public void forget(String paymentHash) {
        journal.inTransaction(() -> {
            try (PreparedStatement ps = journal.connection().prepareStatement("DELETE FROM node_spares"
                    + " WHERE payment_hash = ? AND NOT EXISTS"
                    + " (SELECT 1 FROM node_jobs j WHERE j.payment_hash = node_spares.payment_hash)")) {
                ps.setString(1, paymentHash);
                return ps.executeUpdate();
            }
        });
    }

    /** Forgets spares expired before {@code cutoff}: none can be paid or quoted any more (a taken one is its job's). */
    public int prune(long cutoff) {
        return journal.inTransaction(() -> {
            try (PreparedStatement ps = journal.connection().prepareStatement("DELETE FROM node_spares"
                    + " WHERE expires_at < ?")) {
                ps.setLong(1, cutoff);
                return ps.executeUpdate();
            }
        });
    }
}
