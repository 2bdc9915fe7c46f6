package org.fedai.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables and indexes of {@link RouterLedger}, and the columns added to ledgers written before them. Apart
 * from the ledger because the schema is read once, on open, and is the one place that must know every table;
 * the ledger's methods each touch only the few they need.
 */
final class RouterLedgerSchema {

    private RouterLedgerSchema() {
    }

    /** Idempotent: run on every open, so an existing ledger keeps its rows and gains what is new. */
    static void create(Statement s) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS seen_specs (job_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, client TEXT NOT NULL,
                  spec_event TEXT NOT NULL, state TEXT NOT NULL, active_quote TEXT, received_at INTEGER NOT NULL,
                  detail TEXT NOT NULL DEFAULT '', latency_ms INTEGER NOT NULL DEFAULT 0)""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS quotes (quote_id TEXT PRIMARY KEY, node_copy_id TEXT NOT NULL,
                  job_id TEXT NOT NULL, client TEXT NOT NULL, node TEXT NOT NULL, fallback TEXT NOT NULL,
                  node_lightning TEXT NOT NULL, node_network TEXT NOT NULL, node_price_msat INTEGER NOT NULL,
                  fee_msat INTEGER NOT NULL, fee_invoice TEXT NOT NULL, fee_hash TEXT NOT NULL, timing TEXT NOT NULL,
                  accept_by INTEGER NOT NULL, deliver_by INTEGER NOT NULL, expires_at INTEGER NOT NULL,
                  created_at_ms INTEGER NOT NULL)""");
        s.execute("CREATE INDEX IF NOT EXISTS quotes_job ON quotes (job_id)");
        // the router's wallet reports its fee invoices settled by payment hash (RouterLedger#jobOfFeeHash)
        s.execute("CREATE INDEX IF NOT EXISTS quotes_fee_hash ON quotes (fee_hash)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS payments (payment_hash TEXT PRIMARY KEY, job_id TEXT NOT NULL,
                  payee TEXT NOT NULL, amount_msat INTEGER NOT NULL, verified_at INTEGER NOT NULL)""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS work_orders (job_id TEXT PRIMARY KEY, quote_id TEXT NOT NULL,
                  node TEXT NOT NULL, event_id TEXT NOT NULL, authorization TEXT NOT NULL,
                  created_at INTEGER NOT NULL)""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS debts (job_id TEXT PRIMARY KEY, client TEXT NOT NULL,
                  amount_msat INTEGER NOT NULL, created_at INTEGER NOT NULL, cleared_at INTEGER NOT NULL DEFAULT 0)""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS metering (seq INTEGER PRIMARY KEY AUTOINCREMENT,
                  record_id TEXT NOT NULL UNIQUE, job_id TEXT NOT NULL, node TEXT NOT NULL, client TEXT NOT NULL,
                  units INTEGER NOT NULL, price_msat INTEGER NOT NULL, payment_hashes TEXT NOT NULL,
                  receipt_id TEXT NOT NULL DEFAULT '', recorded_at INTEGER NOT NULL)""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS node_stats (node TEXT PRIMARY KEY, ewma_latency_ms REAL NOT NULL,
                  successes INTEGER NOT NULL, failures INTEGER NOT NULL, timeouts INTEGER NOT NULL)""");
        // invoices made before their job (a node's, handed over sealed; the router's own for its fee), each quoted once
        s.execute("""
                CREATE TABLE IF NOT EXISTS spares (payment_hash TEXT PRIMARY KEY, owner TEXT NOT NULL,
                  amount_msat INTEGER NOT NULL, bolt11 TEXT NOT NULL, expires_at INTEGER NOT NULL, job_id TEXT)""");
        s.execute("CREATE INDEX IF NOT EXISTS spares_owner ON spares (owner, amount_msat)");
        if (!hasColumn(s, "quotes", "run_on_payment")) { // ledgers written before quotes could say it (issue 17)
            s.execute("ALTER TABLE quotes ADD COLUMN run_on_payment INTEGER NOT NULL DEFAULT 0");
        }
        if (!hasColumn(s, "quotes", "node_invoice")) { // ledgers written before quotes could carry a spare (issue 17)
            s.execute("ALTER TABLE quotes ADD COLUMN node_invoice TEXT NOT NULL DEFAULT ''");
        }
        if (!hasColumn(s, "spares", "hold")) { // ledgers written before nodes made hold spares (issue 17)
            s.execute("ALTER TABLE spares ADD COLUMN hold INTEGER NOT NULL DEFAULT 0");
        }
        if (!hasColumn(s, "node_stats", "non_deliveries")) { // ledgers written before slashing
            s.execute("ALTER TABLE node_stats ADD COLUMN non_deliveries INTEGER NOT NULL DEFAULT 0");
        }
        // the signed events a slash claim cites, kept as received: the claim must name them exactly
        s.execute("CREATE TABLE IF NOT EXISTS evidence (event_id TEXT PRIMARY KEY, job_id TEXT NOT NULL,"
                + " event TEXT NOT NULL)");
        OutboxTable.ROUTER.createTable(s); // the quotes, orders and receipts a transition signed, until a relay has them
        s.execute("CREATE TABLE IF NOT EXISTS slashes (job_id TEXT PRIMARY KEY, node TEXT NOT NULL,"
                + " claim_id TEXT NOT NULL, claim_event TEXT NOT NULL, at INTEGER NOT NULL)");
        // per-job and per-state lookups run for every job and every sweep: without these each one
        // scanned the whole history, and a router slowed down with every job it had ever metered
        s.execute("CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state)");
        // the fee credit (RouterLedger.feeCredit) is asked on every before spec: by client, then by job
        s.execute("CREATE INDEX IF NOT EXISTS jobs_client ON jobs (client)");
        s.execute("CREATE INDEX IF NOT EXISTS payments_job ON payments (job_id)");
        s.execute("CREATE INDEX IF NOT EXISTS metering_job ON metering (job_id)");
        s.execute("CREATE INDEX IF NOT EXISTS metering_client ON metering (client)");
        s.execute("CREATE INDEX IF NOT EXISTS evidence_job ON evidence (job_id)");
    }

    private static boolean hasColumn(Statement s, String table, String column) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                if (column.equals(rs.getString("name"))) {
                    return true;
                }
            }
            return false;
        }
    }
}
