package org.fedai.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plumbing of a journal on one SQLite connection: queries with bound arguments, transactions, unsynced commits
 * for what costs no money when lost, and {@link #atomically} for a role's whole transition. Subclasses serialise
 * on themselves ({@code synchronized}), which is the lock every method here runs under.
 */
abstract class SqliteBook {

    /** Maps one result row. */
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    protected final Connection connection;
    private final String name;
    /** Inside {@link #atomically}: every write joins its transaction. */
    private boolean batching;

    SqliteBook(Connection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    /**
     * Runs a transition's writes (and the events they publish, when the book has an outbox) as one transaction
     * committed with {@code durability}: a crash keeps all of them or none.
     */
    public synchronized void atomically(Durability durability, Runnable writes) {
        if (batching) {
            writes.run();
            return;
        }
        unsynced(durability.relaxed(), () -> SqliteConnections.inTransaction(connection, () -> {
            batching = true;
            try {
                writes.run();
            } finally {
                batching = false;
            }
            return null;
        }));
    }

    long count(String sql, Object... args) {
        return queryOne(sql, rs -> rs.getLong(1), args).orElse(0L);
    }

    int update(String sql, Object... args) {
        try (PreparedStatement ps = SqliteConnections.prepare(connection, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new PaymentStoreException(name + " write failed: " + sql, e);
        }
    }

    <T> Optional<T> queryOne(String sql, Row<T> row, Object... args) {
        List<T> all = queryAll(sql, row, args);
        return all.isEmpty() ? Optional.empty() : Optional.ofNullable(all.get(0));
    }

    <T> List<T> queryAll(String sql, Row<T> row, Object... args) {
        try (PreparedStatement ps = SqliteConnections.prepare(connection, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new PaymentStoreException(name + " read failed: " + sql, e);
        }
    }

    void transaction(Runnable body) {
        transaction(false, body);
    }

    void transaction(boolean unsynced, Runnable body) {
        if (batching) {
            body.run(); // part of the transition's transaction
            return;
        }
        unsynced(unsynced, () -> SqliteConnections.inTransaction(connection, () -> {
            body.run();
            return null;
        }));
    }

    /** {@code body}, its commits unsynced if {@code unsynced}: free jobs and bookkeeping, no money lost with them. */
    <T> T unsynced(boolean unsynced, SqliteConnections.SqlWork<T> body) {
        try {
            return unsynced && !batching ? SqliteConnections.unsynced(connection, body) : body.run();
        } catch (SQLException e) {
            throw new PaymentStoreException(name + " transaction failed", e);
        }
    }
}
