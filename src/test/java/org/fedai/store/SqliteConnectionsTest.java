package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unsynced commits: NORMAL inside, FULL restored afterwards (even on failure), and the data is committed. */
class SqliteConnectionsTest {

    private static final int NORMAL = 1;
    private static final int FULL = 2;

    @TempDir
    Path dir;

    private static int synchronous(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
            return rs.getInt(1);
        }
    }

    @Test
    void unsyncedRunsWithNormalAndRestoresFull() throws Exception {
        try (Connection c = SqliteConnections.open(SqliteConnections.fileUrl(dir.resolve("a.db")),
                "CREATE TABLE t (v INTEGER)")) {
            assertThat(synchronous(c)).isEqualTo(FULL);
            int inside = SqliteConnections.unsynced(c, () -> SqliteConnections.inTransaction(c, () -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO t VALUES (1)");
                }
                return synchronous(c);
            }));
            assertThat(inside).isEqualTo(NORMAL);
            assertThat(synchronous(c)).isEqualTo(FULL);
        }
        try (Connection reopened = SqliteConnections.open(SqliteConnections.fileUrl(dir.resolve("a.db")));
                Statement s = reopened.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            assertThat(rs.getInt(1)).as("committed, and kept across a reopen").isEqualTo(1);
        }
    }

    @Test
    void aFailingUnsyncedWorkStillRestoresFull() throws Exception {
        try (Connection c = SqliteConnections.open(SqliteConnections.fileUrl(dir.resolve("b.db")))) {
            assertThatThrownBy(() -> SqliteConnections.unsynced(c, () -> {
                throw new SQLException("boom");
            })).hasMessage("boom");
            assertThat(synchronous(c)).isEqualTo(FULL);
        }
    }

    /**
     * Two connections on one file (two processes sharing a dev wallet): a transaction holds the write lock from its
     * start, so no other connection commits between its read and its write. Under DEFERRED the other write got in
     * and this transaction's write then failed at once with SQLITE_BUSY, whatever the busy timeout.
     */
    @Test
    void aTransactionHoldsTheWriteLockFromItsStart() throws Exception {
        String url = SqliteConnections.fileUrl(dir.resolve("shared.db"));
        try (Connection a = SqliteConnections.open(url, "CREATE TABLE t (v INTEGER)");
                Connection b = SqliteConnections.open(url)) {
            try (Statement s = b.createStatement()) {
                s.execute("PRAGMA busy_timeout=0"); // fail at once instead of queueing, so the test can see the lock
            }
            SqliteConnections.inTransaction(a, () -> {
                assertThat(count(a)).isZero();
                assertThatThrownBy(() -> insert(b, 2)).isInstanceOf(SQLException.class).hasMessageContaining("SQLITE_BUSY");
                insert(a, 1);
                return null;
            });
            insert(b, 2);
            assertThat(count(a)).isEqualTo(2);
        }
    }

    private static int count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            return rs.getInt(1);
        }
    }

    private static void insert(Connection c, int v) throws SQLException {
        SqliteConnections.update(c, "INSERT INTO t VALUES (?)", v);
    }

    @Test
    void aNewDatabaseAndItsWalAreReadableByTheirOwnerOnly() throws Exception {
        // journals hold job inputs, preimages and balances: nobody else on the machine may read them
        Path file = dir.resolve("private.db");
        try (Connection c = SqliteConnections.open(SqliteConnections.fileUrl(file),
                "CREATE TABLE t (x INTEGER)"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (1)");
            for (String name : java.util.List.of("private.db", "private.db-wal")) {
                assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve(name)))
                        .as(name).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
        }
    }
}
