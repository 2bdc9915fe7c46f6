package org.fedai.nostr.relay;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventKindClass;
import org.fedai.nostr.Filter;
import org.fedai.nostr.MalformedEventException;

/**
 * A durable store in one SQLite file (WAL). Events keep their raw JSON, so what is served is byte-for-byte what was
 * signed; single-letter tags go to a side table indexed for {@code #x} filters. Filters become SQL with bound
 * parameters only ({@link SqlFilter}). One connection behind one lock: SQLite serialises writers anyway.
 */
public final class SqliteEventStore implements EventStore {

    private static final String[] SCHEMA = {
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA foreign_keys=ON",
        """
        CREATE TABLE IF NOT EXISTS events (
          id TEXT PRIMARY KEY,
          pubkey TEXT NOT NULL,
          kind INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          d_tag TEXT,
          expiration INTEGER,
          raw TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS events_created ON events(created_at DESC, id)",
        "CREATE INDEX IF NOT EXISTS events_pubkey_kind ON events(pubkey, kind, created_at DESC)",
        "CREATE INDEX IF NOT EXISTS events_kind ON events(kind, created_at DESC)",
        "CREATE INDEX IF NOT EXISTS events_expiration ON events(expiration) WHERE expiration IS NOT NULL",
        // d_tag is '' for replaceable kinds and NULL for regular ones: one row per address, enforced.
        "CREATE UNIQUE INDEX IF NOT EXISTS events_address ON events(pubkey, kind, d_tag) WHERE d_tag IS NOT NULL",
        """
        CREATE TABLE IF NOT EXISTS tags (
          event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          value TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS tags_name_value ON tags(name, value, event_id)",
        "CREATE INDEX IF NOT EXISTS tags_event ON tags(event_id)",
        "CREATE TABLE IF NOT EXISTS deleted_ids (event_id TEXT PRIMARY KEY, pubkey TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS deleted_addresses (address TEXT PRIMARY KEY, until INTEGER NOT NULL)",
    };

    private final Connection db;

    private SqliteEventStore(Connection db) {
        this.db = db;
    }

    public static SqliteEventStore open(Path file) {
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                for (String sql : SCHEMA) {
                    s.execute(sql);
                }
            }
            return new SqliteEventStore(db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open event store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized SaveOutcome save(Event event) {
        EventKindClass cls = event.kindClass();
        if (cls == EventKindClass.EPHEMERAL) {
            throw new IllegalArgumentException("ephemeral events are not stored");
        }
        try {
            db.setAutoCommit(false);
            try {
                SaveOutcome outcome = saveInTransaction(event, cls);
                db.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("save failed: " + e.getMessage(), e);
        }
    }

    private SaveOutcome saveInTransaction(Event event, EventKindClass cls) throws SQLException {
        if (exists("SELECT 1 FROM events WHERE id = ?", event.id())) {
            return SaveOutcome.DUPLICATE;
        }
        if (exists("SELECT 1 FROM deleted_ids WHERE event_id = ? AND pubkey = ?", event.id(), event.pubkey())) {
            return SaveOutcome.DELETED;
        }
        String d = null;
        if (cls != EventKindClass.REGULAR) {
            d = cls == EventKindClass.ADDRESSABLE ? event.firstTagValue("d").orElse("") : "";
            try (PreparedStatement q = db.prepareStatement("SELECT until FROM deleted_addresses WHERE address = ?")) {
                q.setString(1, event.address());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next() && event.createdAt() <= rs.getLong(1)) {
                        return SaveOutcome.DELETED;
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement(
                    "SELECT id, created_at FROM events WHERE pubkey = ? AND kind = ? AND d_tag = ?")) {
                q.setString(1, event.pubkey());
                q.setInt(2, event.kind());
                q.setString(3, d);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        String storedId = rs.getString(1);
                        long storedAt = rs.getLong(2);
                        boolean newer = event.createdAt() > storedAt
                                || (event.createdAt() == storedAt && event.id().compareTo(storedId) < 0);
                        if (!newer) {
                            return SaveOutcome.NEWER_VERSION_STORED;
                        }
                        deleteById(storedId);
                    }
                }
            }
        }
        insert(event, d);
        return SaveOutcome.STORED;
    }

    private void insert(Event event, String d) throws SQLException {
        try (PreparedStatement ins = db.prepareStatement(
                "INSERT INTO events(id, pubkey, kind, created_at, d_tag, expiration, raw) VALUES (?,?,?,?,?,?,?)")) {
            ins.setString(1, event.id());
            ins.setString(2, event.pubkey());
            ins.setInt(3, event.kind());
            ins.setLong(4, event.createdAt());
            ins.setString(5, d);
            OptionalLong exp = Nip40Expiry.expiration(event);
            if (exp.isPresent()) {
                ins.setLong(6, exp.getAsLong());
            } else {
                ins.setNull(6, java.sql.Types.INTEGER);
            }
            ins.setString(7, EventJson.toJson(event));
            ins.executeUpdate();
        }
        try (PreparedStatement tag = db.prepareStatement("INSERT INTO tags(event_id, name, value) VALUES (?,?,?)")) {
            boolean any = false;
            for (List<String> t : event.tags()) {
                // Filters can only ask for single-letter tags (NIP-01), so only those are indexed.
                if (t.size() >= 2 && t.get(0).length() == 1) {
                    tag.setString(1, event.id());
                    tag.setString(2, t.get(0));
                    tag.setString(3, t.get(1));
                    tag.addBatch();
                    any = true;
                }
            }
            if (any) {
                tag.executeBatch();
            }
        }
    }

    private int deleteById(String id) throws SQLException {
        try (PreparedStatement del = db.prepareStatement("DELETE FROM events WHERE id = ?")) {
            del.setString(1, id);
            return del.executeUpdate();
        }
    }

    private boolean exists(String sql, String... params) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                q.setString(i + 1, params[i]);
            }
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public synchronized List<Event> query(Filter filter, long nowSeconds, int limit) {
        List<Event> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        SqlFilter sql = SqlFilter.of(filter, nowSeconds, limit);
        try (PreparedStatement q = db.prepareStatement(sql.sql())) {
            sql.bind(q);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(EventJson.parse(rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        } catch (MalformedEventException e) {
            throw new IllegalStateException("stored event is corrupt: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public synchronized int delete(Nip09Deletion.Targets targets) {
        try {
            db.setAutoCommit(false);
            try {
                int removed = 0;
                for (String id : targets.ids()) {
                    // Only the author may delete, and NIP-09 gives a deletion of a deletion no effect.
                    try (PreparedStatement del = db.prepareStatement(
                            "DELETE FROM events WHERE id = ? AND pubkey = ? AND kind != 5")) {
                        del.setString(1, id);
                        del.setString(2, targets.author());
                        removed += del.executeUpdate();
                    }
                    // What is still stored under this id is another author's, or a deletion: it stays unblocked.
                    if (!exists("SELECT 1 FROM events WHERE id = ?", id)) {
                        try (PreparedStatement tomb = db.prepareStatement(
                                "INSERT OR IGNORE INTO deleted_ids(event_id, pubkey) VALUES (?, ?)")) {
                            tomb.setString(1, id);
                            tomb.setString(2, targets.author());
                            tomb.executeUpdate();
                        }
                    }
                }
                for (Nip09Deletion.Address a : targets.addresses()) {
                    try (PreparedStatement del = db.prepareStatement(
                            "DELETE FROM events WHERE pubkey = ? AND kind = ? AND d_tag = ? AND created_at <= ?")) {
                        del.setString(1, a.pubkey());
                        del.setInt(2, a.kind());
                        del.setString(3, EventKindClass.of(a.kind()) == EventKindClass.ADDRESSABLE ? a.d() : "");
                        del.setLong(4, targets.until());
                        removed += del.executeUpdate();
                    }
                    try (PreparedStatement tomb = db.prepareStatement(
                            "INSERT INTO deleted_addresses(address, until) VALUES (?, ?) ON CONFLICT(address) "
                                    + "DO UPDATE SET until = max(until, excluded.until)")) {
                        tomb.setString(1, a.key());
                        tomb.setLong(2, targets.until());
                        tomb.executeUpdate();
                    }
                }
                db.commit();
                return removed;
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("delete failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized int purgeExpired(long nowSeconds) {
        try (PreparedStatement del = db.prepareStatement(
                "DELETE FROM events WHERE expiration IS NOT NULL AND expiration <= ?")) {
            del.setLong(1, nowSeconds);
            return del.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("purge failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized int purgeOlderThan(EventKindClass kindClass, long cutoffSeconds) {
        // the class is in the row: d_tag is NULL for regular events, '' for replaceable, the d value for addressable
        String which = switch (kindClass) {
            case REGULAR -> "d_tag IS NULL";
            case REPLACEABLE -> "d_tag IS NOT NULL AND NOT (kind BETWEEN 30000 AND 39999)";
            case ADDRESSABLE -> "kind BETWEEN 30000 AND 39999";
            case EPHEMERAL -> "0";
        };
        try (PreparedStatement del = db.prepareStatement("DELETE FROM events WHERE created_at < ? AND " + which)) {
            del.setLong(1, cutoffSeconds);
            return del.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("retention purge failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long size() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("count failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("close failed: " + e.getMessage(), e);
        }
    }
}
