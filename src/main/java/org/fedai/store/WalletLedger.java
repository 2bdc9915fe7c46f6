package org.fedai.store;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The dev wallet's books in SQLite: accounts with balances in millisatoshis, the invoices they
 * issue and the payments they make. Every state change is one transaction, so a crash leaves
 * either the state before or the state after, never money half moved. Balances cannot go below
 * zero (a CHECK constraint backs the explicit test). Thread-safe: one connection, serialised.
 */
public final class WalletLedger implements AutoCloseable {

    /** What a payment attempt did. */
    public enum PayStatus {
        SETTLED, HELD, UNKNOWN_PAYER, UNKNOWN_INVOICE, SELF_PAYMENT, ALREADY_PAID, CANCELLED, EXPIRED,
        AMOUNT_MISMATCH, INSUFFICIENT_BALANCE
    }

    /** What settling or cancelling a hold invoice did. */
    public enum HoldStatus {
        SETTLED, CANCELLED, UNKNOWN_INVOICE, NOT_HELD, NOT_HOLD_INVOICE, PREIMAGE_MISMATCH, ALREADY_FINAL
    }

    /** The outcome and the invoice as it stands afterwards (null when unknown). */
    public record PayOutcome(PayStatus status, LedgerInvoice invoice) {
    }

    public record HoldOutcome(HoldStatus status, LedgerInvoice invoice) {
    }

    private static final String INVOICE_COLUMNS = "payment_hash, account, bolt11, amount_msat, preimage, hold, state,"
            + " created_at, expires_at, settled_at, payer, paid_msat";

    private final Connection connection;

    private WalletLedger(String url) {
        try {
            connection = SqliteConnections.open(url);
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS accounts (
                          name TEXT PRIMARY KEY,
                          node_id TEXT NOT NULL UNIQUE,
                          balance_msat INTEGER NOT NULL CHECK (balance_msat >= 0)
                        )""");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS invoices (
                          payment_hash TEXT PRIMARY KEY,
                          account TEXT NOT NULL REFERENCES accounts(name),
                          bolt11 TEXT NOT NULL,
                          amount_msat INTEGER CHECK (amount_msat IS NULL OR amount_msat > 0),
                          preimage TEXT,
                          hold INTEGER NOT NULL,
                          state TEXT NOT NULL,
                          created_at INTEGER NOT NULL,
                          expires_at INTEGER NOT NULL,
                          settled_at INTEGER,
                          payer TEXT REFERENCES accounts(name),
                          paid_msat INTEGER
                        )""");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS payments (
                          payment_hash TEXT PRIMARY KEY REFERENCES invoices(payment_hash),
                          payer TEXT NOT NULL REFERENCES accounts(name),
                          amount_msat INTEGER NOT NULL CHECK (amount_msat > 0),
                          state TEXT NOT NULL,
                          created_at INTEGER NOT NULL,
                          updated_at INTEGER NOT NULL
                        )""");
            }
        } catch (SQLException e) {
            throw new PaymentStoreException("cannot open wallet ledger " + url, e);
        }
    }

    public static WalletLedger open(Path file) {
        return new WalletLedger("jdbc:sqlite:" + file.toAbsolutePath());
    }

    public static WalletLedger inMemory() {
        return new WalletLedger("jdbc:sqlite::memory:");
    }

    /** Creates the account with a zero balance, or returns it; refuses a name already bound to another node id. */
    public synchronized LedgerAccount openAccount(String name, String nodeId) {
        return transaction(() -> {
            Optional<LedgerAccount> existing = findAccount("name", name);
            if (existing.isPresent()) {
                if (!existing.get().nodeId().equals(nodeId)) {
                    throw new IllegalArgumentException("account " + name + " belongs to node " + existing.get().nodeId());
                }
                return existing.get();
            }
            if (findAccount("node_id", nodeId).isPresent()) {
                throw new IllegalArgumentException("node " + nodeId + " already has an account");
            }
            update("INSERT INTO accounts (name, node_id, balance_msat) VALUES (?, ?, 0)", name, nodeId);
            return new LedgerAccount(name, nodeId, 0);
        });
    }

    public synchronized Optional<LedgerAccount> account(String name) {
        return transaction(() -> findAccount("name", name));
    }

    public synchronized Optional<LedgerAccount> accountByNodeId(String nodeId) {
        return transaction(() -> findAccount("node_id", nodeId));
    }

    /** Adds funds from outside the ledger (the dev faucet); returns the new balance. */
    public synchronized long deposit(String name, long msat) {
        if (msat <= 0) {
            throw new IllegalArgumentException("deposit must be positive");
        }
        return transaction(() -> {
            if (update("UPDATE accounts SET balance_msat = balance_msat + ? WHERE name = ?", msat, name) != 1) {
                throw new IllegalArgumentException("no account " + name);
            }
            return findAccount("name", name).orElseThrow().balanceMsat();
        });
    }

    /** Records a new invoice; refuses a payment hash the ledger already knows. */
    public synchronized void addInvoice(LedgerInvoice invoice) {
        transaction(() -> {
            if (findInvoice(invoice.paymentHash()).isPresent()) {
                throw new IllegalArgumentException("payment hash " + invoice.paymentHash() + " is already invoiced");
            }
            update("INSERT INTO invoices (" + INVOICE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    invoice.paymentHash(), invoice.account(), invoice.bolt11(), invoice.amountMsat(),
                    invoice.preimage(), invoice.hold() ? 1 : 0, invoice.state().name(), invoice.createdAt(),
                    invoice.expiresAt(), invoice.settledAt(), invoice.payer(), invoice.paidMsat());
            return null;
        });
    }

    public synchronized Optional<LedgerInvoice> invoice(String paymentHash) {
        return transaction(() -> findInvoice(paymentHash));
    }

    /** Invoices the account issued or paid, newest first: the account's history. */
    public synchronized java.util.List<LedgerInvoice> invoicesTouching(String account, int limit) {
        return transaction(() -> {
            try (PreparedStatement ps = connection.prepareStatement("SELECT " + INVOICE_COLUMNS + " FROM invoices"
                    + " WHERE account = ? OR payer = ? ORDER BY created_at DESC, payment_hash LIMIT ?")) {
                ps.setString(1, account);
                ps.setString(2, account);
                ps.setInt(3, limit);
                java.util.List<LedgerInvoice> out = new java.util.ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(readInvoice(rs));
                    }
                }
                return out;
            }
        });
    }

    public synchronized Optional<LedgerPayment> payment(String paymentHash) {
        return transaction(() -> {
            try (PreparedStatement ps = connection.prepareStatement("SELECT p.payment_hash, p.payer, p.amount_msat,"
                    + " p.state, i.preimage, p.created_at, p.updated_at FROM payments p JOIN invoices i"
                    + " ON i.payment_hash = p.payment_hash WHERE p.payment_hash = ?")) {
                ps.setString(1, paymentHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    LedgerPayment.State state = LedgerPayment.State.valueOf(rs.getString(4));
                    return Optional.of(new LedgerPayment(rs.getString(1), rs.getString(2), rs.getLong(3), state,
                            state == LedgerPayment.State.SUCCEEDED ? rs.getString(5) : null, rs.getLong(6), rs.getLong(7)));
                }
            }
        });
    }

    /**
     * Pays an invoice of this ledger from {@code payer}'s balance, all or nothing: a plain invoice
     * settles at once (payee credited), a hold invoice locks the amount until settle or cancel.
     */
    public synchronized PayOutcome pay(String payer, String paymentHash, long amountMsat, long now) {
        return transaction(() -> {
            Optional<LedgerAccount> from = findAccount("name", payer);
            if (from.isEmpty()) {
                return new PayOutcome(PayStatus.UNKNOWN_PAYER, null);
            }
            Optional<LedgerInvoice> found = findInvoice(paymentHash);
            if (found.isEmpty()) {
                return new PayOutcome(PayStatus.UNKNOWN_INVOICE, null);
            }
            LedgerInvoice inv = found.get();
            PayStatus refusal = switch (inv.state()) {
                case HELD, SETTLED -> PayStatus.ALREADY_PAID;
                case CANCELLED -> PayStatus.CANCELLED;
                case EXPIRED -> PayStatus.EXPIRED;
                case OPEN -> null;
            };
            if (refusal == null && now >= inv.expiresAt()) {
                update("UPDATE invoices SET state = 'EXPIRED' WHERE payment_hash = ?", paymentHash);
                return new PayOutcome(PayStatus.EXPIRED, findInvoice(paymentHash).orElseThrow());
            }
            if (refusal == null && inv.account().equals(payer)) {
                refusal = PayStatus.SELF_PAYMENT;
            } else if (refusal == null && (amountMsat <= 0
                    || (inv.amountMsat() != null && inv.amountMsat() != amountMsat))) {
                refusal = PayStatus.AMOUNT_MISMATCH;
            } else if (refusal == null && from.get().balanceMsat() < amountMsat) {
                refusal = PayStatus.INSUFFICIENT_BALANCE;
            }
            if (refusal != null) {
                return new PayOutcome(refusal, inv);
            }
            update("UPDATE accounts SET balance_msat = balance_msat - ? WHERE name = ?", amountMsat, payer);
            if (inv.hold()) {
                update("UPDATE invoices SET state = 'HELD', payer = ?, paid_msat = ? WHERE payment_hash = ?",
                        payer, amountMsat, paymentHash);
                update("INSERT INTO payments VALUES (?, ?, ?, 'PENDING', ?, ?)", paymentHash, payer, amountMsat, now, now);
                return new PayOutcome(PayStatus.HELD, findInvoice(paymentHash).orElseThrow());
            }
            update("UPDATE accounts SET balance_msat = balance_msat + ? WHERE name = ?", amountMsat, inv.account());
            update("UPDATE invoices SET state = 'SETTLED', settled_at = ?, payer = ?, paid_msat = ?"
                    + " WHERE payment_hash = ?", now, payer, amountMsat, paymentHash);
            update("INSERT INTO payments VALUES (?, ?, ?, 'SUCCEEDED', ?, ?)", paymentHash, payer, amountMsat, now, now);
            return new PayOutcome(PayStatus.SETTLED, findInvoice(paymentHash).orElseThrow());
        });
    }

    /** The payee releases a held payment with the preimage: the payee is credited, the payer learns it. */
    public synchronized HoldOutcome settleHeld(String paymentHash, String preimage, long now) {
        return transaction(() -> {
            Optional<LedgerInvoice> found = findInvoice(paymentHash);
            if (found.isEmpty()) {
                return new HoldOutcome(HoldStatus.UNKNOWN_INVOICE, null);
            }
            LedgerInvoice inv = found.get();
            HoldStatus refusal = !inv.hold() ? HoldStatus.NOT_HOLD_INVOICE
                    : inv.state() == InvoiceState.OPEN ? HoldStatus.NOT_HELD
                    : inv.state() != InvoiceState.HELD ? HoldStatus.ALREADY_FINAL
                    : !sha256Hex(preimage).equals(paymentHash) ? HoldStatus.PREIMAGE_MISMATCH
                    : null;
            if (refusal != null) {
                return new HoldOutcome(refusal, inv);
            }
            update("UPDATE accounts SET balance_msat = balance_msat + ? WHERE name = ?", inv.paidMsat(), inv.account());
            update("UPDATE invoices SET state = 'SETTLED', preimage = ?, settled_at = ? WHERE payment_hash = ?",
                    preimage, now, paymentHash);
            update("UPDATE payments SET state = 'SUCCEEDED', updated_at = ? WHERE payment_hash = ?", now, paymentHash);
            return new HoldOutcome(HoldStatus.SETTLED, findInvoice(paymentHash).orElseThrow());
        });
    }

    /** The payee cancels an open or held invoice; a held amount goes back to the payer. */
    public synchronized HoldOutcome cancel(String paymentHash, long now) {
        return transaction(() -> {
            Optional<LedgerInvoice> found = findInvoice(paymentHash);
            if (found.isEmpty()) {
                return new HoldOutcome(HoldStatus.UNKNOWN_INVOICE, null);
            }
            LedgerInvoice inv = found.get();
            if (inv.state() == InvoiceState.SETTLED || inv.state() == InvoiceState.CANCELLED) {
                return new HoldOutcome(HoldStatus.ALREADY_FINAL, inv);
            }
            cancelHeld(inv, now);
            return new HoldOutcome(HoldStatus.CANCELLED, findInvoice(paymentHash).orElseThrow());
        });
    }

    /**
     * Cancels every payment held since {@code heldBefore} or earlier, its amount back to the payer, as Lightning's
     * HTLC timeout does when a payee neither settles nor cancels in time (a payee that stopped); returns how many.
     */
    public synchronized int refundHeldSince(long heldBefore, long now) {
        return transaction(() -> {
            java.util.List<String> stale = new java.util.ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement("SELECT p.payment_hash FROM payments p"
                    + " JOIN invoices i ON i.payment_hash = p.payment_hash WHERE i.state = 'HELD'"
                    + " AND p.state = 'PENDING' AND p.created_at <= ?")) {
                ps.setLong(1, heldBefore);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stale.add(rs.getString(1));
                    }
                }
            }
            for (String hash : stale) {
                cancelHeld(findInvoice(hash).orElseThrow(), now);
            }
            return stale.size();
        });
    }

    /** Inside a transaction: the invoice cancelled, a held amount back to its payer. */
    private void cancelHeld(LedgerInvoice inv, long now) throws SQLException {
        if (inv.state() == InvoiceState.HELD) {
            update("UPDATE accounts SET balance_msat = balance_msat + ? WHERE name = ?", inv.paidMsat(), inv.payer());
            update("UPDATE payments SET state = 'REFUNDED', updated_at = ? WHERE payment_hash = ?", now,
                    inv.paymentHash());
        }
        update("UPDATE invoices SET state = 'CANCELLED' WHERE payment_hash = ?", inv.paymentHash());
    }

    /** Marks open invoices past their expiry as expired; returns how many. */
    public synchronized int expireOpen(long now) {
        return transaction(() -> update("UPDATE invoices SET state = 'EXPIRED' WHERE state = 'OPEN' AND expires_at <= ?", now));
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new PaymentStoreException("cannot close wallet ledger", e);
        }
    }

    // ---- SQL plumbing ----

    /**
     * Forgets invoices that were final before {@code cutoff} (settled, or cancelled or unpaid past their expiry)
     * with their payments; balances live on the accounts and stay. Held invoices are never forgotten.
     */
    public synchronized int pruneFinished(long cutoff) {
        return transaction(() -> {
            String old = "SELECT payment_hash FROM invoices WHERE (state = 'SETTLED' AND settled_at < ?)"
                    + " OR (state IN ('OPEN', 'EXPIRED', 'CANCELLED') AND expires_at < ?)";
            update("DELETE FROM payments WHERE payment_hash IN (" + old + ")", cutoff, cutoff);
            return update("DELETE FROM invoices WHERE payment_hash IN (" + old + ")", cutoff, cutoff);
        });
    }

    private <T> T transaction(SqliteConnections.SqlWork<T> work) {
        try {
            return SqliteConnections.inTransaction(connection, work);
        } catch (SQLException e) {
            throw new PaymentStoreException("wallet ledger transaction failed", e);
        }
    }

    private int update(String sql, Object... args) throws SQLException {
        return SqliteConnections.update(connection, sql, args);
    }

    private Optional<LedgerAccount> findAccount(String column, String value) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT name, node_id, balance_msat FROM accounts WHERE " + column + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new LedgerAccount(rs.getString(1), rs.getString(2), rs.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    private Optional<LedgerInvoice> findInvoice(String paymentHash) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT " + INVOICE_COLUMNS + " FROM invoices WHERE payment_hash = ?")) {
            ps.setString(1, paymentHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readInvoice(rs)) : Optional.empty();
            }
        }
    }

    private static LedgerInvoice readInvoice(ResultSet rs) throws SQLException {
        return new LedgerInvoice(rs.getString(1), rs.getString(2), rs.getString(3),
                nullableLong(rs, 4), rs.getString(5), rs.getInt(6) == 1, InvoiceState.valueOf(rs.getString(7)),
                rs.getLong(8), rs.getLong(9), nullableLong(rs, 10), rs.getString(11), nullableLong(rs, 12));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static String sha256Hex(String hex) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(HexFormat.of().parseHex(hex)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        } catch (IllegalArgumentException notHex) {
            return "";
        }
    }
}
