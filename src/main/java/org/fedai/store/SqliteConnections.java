package org.fedai.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.sqlite.SQLiteConfig;

/**
 * Opens the SQLite connections fedai's journals use: WAL (readers never block the writer), FULL sync
 * (an acknowledged transition survives power loss) and a busy timeout (several processes may share a
 * dev wallet file), then applies the journal's schema. Commits that no money depends on may skip the
 * sync ({@link #unsynced}).
 */
public final class SqliteConnections {

    private SqliteConnections() {
    }

    public static String fileUrl(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    public static final String IN_MEMORY = "jdbc:sqlite::memory:";

    /**
     * A connection whose transactions begin IMMEDIATE. SQLite's default (DEFERRED) starts a transaction as a reader
     * and upgrades it at the first write; when another connection wrote in between, the upgrade fails at once with
     * SQLITE_BUSY and the busy timeout is never consulted. Several connections do share a file: the dev wallet of a
     * node, a router and a client in separate processes, a router's ledger and its spent-hash registry, the
     * gateway's journals beside a node's own router. Taking the write lock first makes them queue instead.
     */
    private static Connection connect(String url) throws SQLException {
        if (url.startsWith("jdbc:sqlite:") && !url.equals(IN_MEMORY)) {
            createPrivate(Path.of(url.substring("jdbc:sqlite:".length())));
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setBusyTimeout(5000);
        return DriverManager.getConnection(url, config.toProperties());
    }

    /**
     * Creates a missing database file readable by its owner only: journals hold job inputs, preimages and
     * balances. SQLite gives its -wal and -shm files the database file's permissions. An existing file is left
     * as it is (its owner may have chosen otherwise).
     */
    public static void createPrivate(Path file) throws SQLException {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.exists(file) || parent == null || !Files.isDirectory(parent)) {
            return; // SQLite itself reports a missing folder, with the path
        }
        try {
            if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // another process created it first: that one chose its permissions
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    public static Connection open(String url, String... schema) throws SQLException {
        Connection connection = connect(url);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            for (String statement : schema) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /**
     * Runs {@code work} with its commits written to the WAL but not synced to disk (synchronous=NORMAL): they
     * survive a crash of the process (the OS holds them), not a power loss, until the next synced commit on the
     * same database, which makes them durable as well, because the WAL is appended in order and syncing it syncs
     * every earlier frame. So an unsynced write never becomes durable after a synced one that followed it. For
     * what costs no money when the machine loses it: free jobs, "published" marks (republished with the same
     * id), resubscription watermarks, statistics. On this project's 2-vCPU VM one sync costs about 6 ms.
     */
    public static <T> T unsynced(Connection connection, SqlWork<T> work) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA synchronous=NORMAL");
        }
        try {
            return work.run();
        } finally {
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA synchronous=FULL");
            }
        }
    }

    /** A typed value as its column holds it: ids and keys as their hex, amounts as msat; anything else as is. */
    static Object column(Object value) {
        return switch (value) {
            case JobId id -> id.hex();
            case EventId id -> id.hex();
            case PublicKey key -> key.hex();
            case Msat amount -> amount.value();
            case null, default -> value;
        };
    }

    /** A statement with {@code args} bound to its {@code ?} in order; the caller closes it. */
    public static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, column(args[i]));
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /** Runs one INSERT, UPDATE or DELETE with {@code args} bound; the number of rows it changed. */
    public static int update(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(connection, sql, args)) {
            return ps.executeUpdate();
        }
    }

    /** A unit of work against a connection. */
    public interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed whole, or rolled back whole on any exception. */
    public static <T> T inTransaction(Connection connection, SqlWork<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
