package org.fedai.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the SQLite connections fedai's journals use: WAL (readers never block the writer), FULL sync
 * (an acknowledged transition survives power loss) and a busy timeout (several processes may share a
 * dev wallet file), then applies the journal's schema.
 */
public final class SqliteConnections {

    private SqliteConnections() {
    }

    public static String fileUrl(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    public static final String IN_MEMORY = "jdbc:sqlite::memory:";

    public static Connection open(String url, String... schema) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=5000");
            for (String statement : schema) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
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
