package org.fedai.store;

import org.fedai.domain.EventId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The round journal of one federation role (aggregator, full node, validator): how far each round got,
 * the state it must not recompute differently after a crash (a published roster, the global model), and
 * the signed events it published, so a restarted role republishes the very same events instead of new
 * ones that would contradict them. A role writes here before it publishes.
 */
public final class FlJournal implements AutoCloseable {

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS fl_phase (task TEXT NOT NULL, round INTEGER NOT NULL, phase TEXT NOT NULL, "
                + "PRIMARY KEY (task, round))",
        "CREATE TABLE IF NOT EXISTS fl_blob (task TEXT NOT NULL, round INTEGER NOT NULL, name TEXT NOT NULL, "
                + "data BLOB NOT NULL, PRIMARY KEY (task, round, name))",
        "CREATE TABLE IF NOT EXISTS fl_outbox (id TEXT PRIMARY KEY, task TEXT NOT NULL, round INTEGER NOT NULL, "
                + "json TEXT NOT NULL, seq INTEGER NOT NULL)",
    };

    private final Connection connection;

    private FlJournal(Connection connection) {
        this.connection = connection;
    }

    public static FlJournal open(Path file) {
        return open(SqliteConnections.fileUrl(file));
    }

    public static FlJournal inMemory() {
        return open(SqliteConnections.IN_MEMORY);
    }

    private static FlJournal open(String url) {
        try {
            return new FlJournal(SqliteConnections.open(url, SCHEMA));
        } catch (SQLException e) {
            throw new JournalException("cannot open the federation journal " + url, e);
        }
    }

    public synchronized void phase(String task, int round, String phase) {
        update("INSERT INTO fl_phase (task, round, phase) VALUES (?, ?, ?) "
                + "ON CONFLICT (task, round) DO UPDATE SET phase = excluded.phase", task, round, phase);
    }

    public synchronized Optional<String> phase(String task, int round) {
        return query("SELECT phase FROM fl_phase WHERE task = ? AND round = ?", task, round)
                .stream().findFirst().map(row -> (String) row);
    }

    /** The highest round that reached {@code phase}, or 0. */
    public synchronized int lastRoundIn(String task, String phase) {
        List<Object> rows = query("SELECT MAX(round) FROM fl_phase WHERE task = ? AND phase = ?", task, phase);
        return rows.isEmpty() || rows.getFirst() == null ? 0 : ((Number) rows.getFirst()).intValue();
    }

    public synchronized void putBlob(String task, int round, String name, byte[] data) {
        update("INSERT INTO fl_blob (task, round, name, data) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (task, round, name) DO UPDATE SET data = excluded.data", task, round, name, data);
    }

    public synchronized Optional<byte[]> blob(String task, int round, String name) {
        return query("SELECT data FROM fl_blob WHERE task = ? AND round = ? AND name = ?", task, round, name)
                .stream().findFirst().map(row -> (byte[]) row);
    }

    /** Records a signed event (JSON) before it is published; recording the same id twice is a no-op. */
    public synchronized void outbox(String task, int round, EventId eventId, String json) {
        update("INSERT OR IGNORE INTO fl_outbox (id, task, round, json, seq) VALUES (?, ?, ?, ?, "
                + "(SELECT COALESCE(MAX(seq), 0) + 1 FROM fl_outbox))", eventId.hex(), task, round, json);
    }

    /** The events recorded for a round, in the order they were recorded. */
    public synchronized List<String> outbox(String task, int round) {
        return query("SELECT json FROM fl_outbox WHERE task = ? AND round = ? ORDER BY seq", task, round)
                .stream().map(o -> (String) o).toList();
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            bind(s, args);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new JournalException("federation journal write failed: " + sql, e);
        }
    }

    private List<Object> query(String sql, Object... args) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            bind(s, args);
            List<Object> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new JournalException("federation journal read failed: " + sql, e);
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new JournalException("cannot close the federation journal", e);
        }
    }
}
