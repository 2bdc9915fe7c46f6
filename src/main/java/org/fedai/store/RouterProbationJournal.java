package org.fedai.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A router's probation record in SQLite, beside its {@link RouterLedger} (same file, own tables): its probation
 * state and when it last changed, the 31402 bonds naming the router that it counted (kept as received, so a
 * restart counts the same stake before any relay sends them again), and each admission benchmark run with the
 * salt of its commitment (so an announced commitment can be opened later). Completed jobs are the ledger's
 * metered jobs. Thread-safe: one connection, serialised.
 */
public final class RouterProbationJournal implements AutoCloseable {

    /** The persisted state: {@code state} is the announcement's code ("probation", "active"). */
    public record Standing(String state, long since) {
    }

    /** One admission run: the exact figures (name=value;...) and the salt behind the announced commitment. */
    public record BenchRun(String commitment, String saltHex, String figures, long at) {
    }

    private final Connection connection;

    private RouterProbationJournal(String url) {
        try {
            connection = SqliteConnections.open(url,
                    "CREATE TABLE IF NOT EXISTS probation_standing (id INTEGER PRIMARY KEY CHECK (id = 1),"
                            + " state TEXT NOT NULL, since INTEGER NOT NULL)",
                    "CREATE TABLE IF NOT EXISTS probation_bonds (address TEXT PRIMARY KEY, created_at INTEGER NOT NULL,"
                            + " event TEXT NOT NULL)",
                    "CREATE TABLE IF NOT EXISTS probation_bench (commitment TEXT PRIMARY KEY, salt TEXT NOT NULL,"
                            + " figures TEXT NOT NULL, at INTEGER NOT NULL)");
        } catch (SQLException e) {
            throw new PaymentStoreException("cannot open router probation journal " + url, e);
        }
    }

    public static RouterProbationJournal open(Path file) {
        return new RouterProbationJournal(SqliteConnections.fileUrl(file));
    }

    public static RouterProbationJournal inMemory() {
        return new RouterProbationJournal(SqliteConnections.IN_MEMORY);
    }

    public synchronized Optional<Standing> standing() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT state, since FROM probation_standing");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new Standing(rs.getString(1), rs.getLong(2))) : Optional.empty();
        } catch (SQLException e) {
            throw new PaymentStoreException("probation journal read failed", e);
        }
    }

    public synchronized void saveStanding(Standing s) {
        update("INSERT INTO probation_standing (id, state, since) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE"
                + " SET state = excluded.state, since = excluded.since", s.state(), s.since());
    }

    /** Keeps the newest bond event (JSON) per address ({@code bonder:d}); an older one never replaces it. */
    public synchronized void keepBond(String address, long createdAt, String eventJson) {
        update("INSERT INTO probation_bonds (address, created_at, event) VALUES (?, ?, ?) ON CONFLICT(address)"
                + " DO UPDATE SET created_at = excluded.created_at, event = excluded.event"
                + " WHERE excluded.created_at > probation_bonds.created_at", address, createdAt, eventJson);
    }

    public synchronized List<String> bonds() {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT event FROM probation_bonds ORDER BY address");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new PaymentStoreException("probation journal read failed", e);
        }
    }

    public synchronized void recordBench(BenchRun run) {
        update("INSERT OR IGNORE INTO probation_bench (commitment, salt, figures, at) VALUES (?, ?, ?, ?)",
                run.commitment(), run.saltHex(), run.figures(), run.at());
    }

    public synchronized Optional<BenchRun> bench(String commitment) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT commitment, salt, figures, at FROM probation_bench WHERE commitment = ?")) {
            ps.setString(1, commitment);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new BenchRun(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getLong(4))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new PaymentStoreException("probation journal read failed", e);
        }
    }

    private void update(String sql, Object... args) {
        try {
            SqliteConnections.update(connection, sql, args);
        } catch (SQLException e) {
            throw new PaymentStoreException("probation journal write failed: " + sql, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new PaymentStoreException("cannot close router probation journal", e);
        }
    }
}
