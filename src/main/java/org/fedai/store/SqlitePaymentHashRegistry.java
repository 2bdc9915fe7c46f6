package org.fedai.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** {@link PaymentHashRegistry} in SQLite: one row per spent hash, the primary key doing the "once". */
public final class SqlitePaymentHashRegistry implements PaymentHashRegistry {

    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement select;

    private SqlitePaymentHashRegistry(String url) {
        try {
            connection = SqliteConnections.open(url);
            try (Statement s = connection.createStatement()) {
                s.execute("""
                        CREATE TABLE IF NOT EXISTS spent_payment_hashes (
                          payment_hash BLOB PRIMARY KEY CHECK (length(payment_hash) = 32),
                          spent_at INTEGER NOT NULL,
                          context TEXT NOT NULL
                        ) WITHOUT ROWID""");
            }
            insert = connection.prepareStatement(
                    "INSERT OR IGNORE INTO spent_payment_hashes (payment_hash, spent_at, context) VALUES (?, ?, ?)");
            select = connection.prepareStatement("SELECT 1 FROM spent_payment_hashes WHERE payment_hash = ?");
        } catch (SQLException e) {
            throw new PaymentStoreException("cannot open payment hash registry " + url, e);
        }
    }

    /** A registry in a SQLite file, created if missing. */
    public static SqlitePaymentHashRegistry open(Path file) {
        return new SqlitePaymentHashRegistry("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** A registry that lives as long as this object: for tests and benchmarks. */
    public static SqlitePaymentHashRegistry inMemory() {
        return new SqlitePaymentHashRegistry("jdbc:sqlite::memory:");
    }

    @Override
    public synchronized boolean markSpent(byte[] paymentHash, long spentAtEpochSeconds, String context) {
        requireHash(paymentHash);
        try {
            insert.setBytes(1, paymentHash);
            insert.setLong(2, spentAtEpochSeconds);
            insert.setString(3, context == null ? "" : context);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new PaymentStoreException("cannot record spent payment hash", e);
        }
    }

    @Override
    public synchronized boolean isSpent(byte[] paymentHash) {
        requireHash(paymentHash);
        try {
            select.setBytes(1, paymentHash);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new PaymentStoreException("cannot read spent payment hashes", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new PaymentStoreException("cannot close payment hash registry", e);
        }
    }

    private static void requireHash(byte[] paymentHash) {
        if (paymentHash == null || paymentHash.length != 32) {
            throw new IllegalArgumentException("payment hash must be 32 bytes");
        }
    }
}
