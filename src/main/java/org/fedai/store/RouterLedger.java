package org.fedai.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;

/**
 * The market router's books in SQLite: specs seen (replay guard), jobs and their quotes, verified payments,
 * work orders, client debts (pay-after-work), metering records under a sequence number with their receipts,
 * and per-node observed stats. The router writes here before it publishes anything, so a restart loses no
 * record, debt or statistic. Thread-safe: one connection, serialised.
 */
public final class RouterLedger extends SqliteBook implements AutoCloseable {

    /** A work order as journaled: the node it authorised and how. */
    public record WorkOrderRow(JobId jobId, EventId quoteId, PublicKey node, EventId eventId,
            WorkAuthorization authorization) {
    }

    /** A client's pay-after-work debt; {@code clearedAt} is 0 while unpaid. */
    public record Debt(JobId jobId, PublicKey client, Msat amount, long createdAt, long clearedAt) {
        public boolean open() {
            return clearedAt == 0;
        }
    }

    private static final String QUOTE_COLUMNS = "quote_id, node_copy_id, job_id, client, node, fallback, node_lightning,"
            + " node_network, node_price_msat, fee_msat, fee_invoice, fee_hash, timing, accept_by, deliver_by,"
            + " expires_at, created_at_ms, run_on_payment, node_invoice";


    private RouterLedger(Connection connection) {
        super(connection, "router ledger");
    }

    /** The spare invoices this router holds, in this ledger's file and lock. */
    public RouterSpares spares() {
        return new RouterSpares(this);
    }

    public static RouterLedger open(Path file) {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        try {
            Connection connection = SqliteConnections.open(url);
            try (Statement s = connection.createStatement()) {
                RouterLedgerSchema.create(s);
            }
            return new RouterLedger(connection);
        } catch (SQLException e) {
            throw new PaymentStoreException("cannot open router ledger " + url, e);
        }
    }

    // ---- outbox: what the router signed and must get to a relay -----------------------------------------------

    /** Queues signed events to publish; inside {@link #atomically} they commit with the writes that made them. */
    public synchronized void queueOutbound(List<Outbound> events) {
        unsynced(false, () -> {
            OutboxTable.ROUTER.enqueue(connection, events);
            return null;
        });
    }

    /** What was queued and no relay has taken yet, oldest first: published again after a restart. */
    public synchronized List<Outbound> unpublished() {
        return unsynced(false, () -> OutboxTable.ROUTER.unpublished(connection));
    }

    /** A relay took it (unsynced: losing the mark costs one republish of the same id). */
    public synchronized void markPublished(EventId eventId) {
        unsynced(true, () -> {
            OutboxTable.ROUTER.markPublished(connection, eventId);
            return null;
        });
    }

    // ---- specs and jobs ---------------------------------------------------------------------------------------

    /** Remembers a spec id; false when it was seen before (a replay). */
    public synchronized boolean markSpecSeen(JobId jobId, long at) {
        // unsynced, as is openJob: nothing is published for a spec before recordQuote, synced unless free
        return unsynced(true, () -> update("INSERT OR IGNORE INTO seen_specs (job_id, seen_at) VALUES (?, ?)", jobId,
                at) == 1);
    }

    public synchronized void openJob(JobId jobId, PublicKey client, String specEventJson, long receivedAt) {
        unsynced(true, () -> update("INSERT OR IGNORE INTO jobs (job_id, client, spec_event, state, received_at)"
                + " VALUES (?, ?, ?, ?, ?)", jobId, client, specEventJson, RouterJobState.QUOTED.name(), receivedAt));
    }

    public synchronized Optional<RouterJobRow> job(JobId jobId) {
        List<RouterJobRow> rows = jobs("WHERE job_id = ?", jobId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public synchronized List<RouterJobRow> jobsIn(RouterJobState state) {
        return jobs("WHERE state = ? ORDER BY received_at", state.name());
    }

    public synchronized List<RouterJobRow> allJobs() {
        return jobs("ORDER BY received_at");
    }

    public synchronized void setState(JobId jobId, RouterJobState state, String detail) {
        update("UPDATE jobs SET state = ?, detail = ? WHERE job_id = ?", state.name(), detail, jobId);
    }

    /** Quote-to-metering time of a completed job, as the router measured it. */
    public synchronized void setLatency(JobId jobId, long latencyMs) {
        unsynced(true, () -> update("UPDATE jobs SET latency_ms = ? WHERE job_id = ?", latencyMs, jobId));
    }

    // ---- quotes -----------------------------------------------------------------------------------------------

    /** Journals a quote and makes it the job's quote in force, back in the QUOTED state. */
    public synchronized void recordQuote(RouterQuoteRow q) {
        transaction(q.timing() == PaymentTiming.FREE, () -> {
            update("INSERT INTO quotes (" + QUOTE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?)",
                    q.quoteId(), q.nodeCopyId(), q.jobId(), q.client(), q.node(), q.fallback().map(PublicKey::hex).orElse(""),
                    q.nodeLightningPubkey(), q.nodeNetwork(), q.nodePrice(), q.fee(), q.feeInvoice(), q.feePaymentHash(), q.timing().code(),
                    q.acceptBy(), q.deliverBy(), q.expiresAt(), q.createdAtMs(), q.runOnPayment() ? 1 : 0,
                    q.nodeInvoice());
            update("UPDATE jobs SET active_quote = ?, state = ? WHERE job_id = ?", q.quoteId(),
                    RouterJobState.QUOTED.name(), q.jobId());
        });
    }

    public synchronized Optional<RouterQuoteRow> quote(EventId quoteId) {
        List<RouterQuoteRow> rows = quotes("WHERE quote_id = ?", quoteId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Every quote of a job, oldest first: the nodes already tried. */
    public synchronized List<RouterQuoteRow> quotesFor(JobId jobId) {
        return quotes("WHERE job_id = ? ORDER BY created_at_ms", jobId);
    }

    // ---- payments, work orders, debts -------------------------------------------------------------------------

    /** Records a payment hash the verifier accepted for this job; {@code payee} is "node" or "fee". */
    public synchronized void recordPayment(String paymentHash, JobId jobId, String payee, Msat amount, long at) {
        update("INSERT OR IGNORE INTO payments (payment_hash, job_id, payee, amount_msat, verified_at) VALUES (?, ?, ?, ?, ?)",
                paymentHash, jobId, payee, amount, at);
    }

    /** The job whose quote (the latest, after a failover kept it) asks the router's fee under this payment hash. */
    public synchronized Optional<JobId> jobOfFeeHash(String paymentHash) {
        return queryOne("SELECT job_id FROM quotes WHERE fee_hash = ? ORDER BY created_at_ms DESC LIMIT 1",
                rs -> JobId.of(rs.getString(1)), paymentHash);
    }

    /** The job a payment hash was verified for, if any. */
    public synchronized Optional<JobId> paymentJob(String paymentHash) {
        return queryOne("SELECT job_id FROM payments WHERE payment_hash = ?", rs -> JobId.of(rs.getString(1)), paymentHash);
    }

    public synchronized List<String> verifiedHashes(JobId jobId, String payee) {
        return queryAll("SELECT payment_hash FROM payments WHERE job_id = ? AND payee = ? ORDER BY verified_at, payment_hash",
                rs -> rs.getString(1), jobId, payee);
    }

    /** Journals a work order and moves the job to ORDERED (with a debt for pay-after-work), atomically. */
    public synchronized void recordWorkOrder(WorkOrderRow order, long at, Debt debt, Durability durability) {
        transaction(durability.relaxed(), () -> {
            update("INSERT OR REPLACE INTO work_orders (job_id, quote_id, node, event_id, authorization, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", order.jobId(), order.quoteId(), order.node(), order.eventId(),
                    order.authorization().code(), at);
            if (debt != null) {
                update("INSERT OR IGNORE INTO debts (job_id, client, amount_msat, created_at) VALUES (?, ?, ?, ?)",
                        debt.jobId(), debt.client(), debt.amount(), debt.createdAt());
            }
            update("UPDATE jobs SET state = ? WHERE job_id = ?", RouterJobState.ORDERED.name(), order.jobId());
        });
    }

    public synchronized Optional<WorkOrderRow> workOrder(JobId jobId) {
        return queryOne("SELECT job_id, quote_id, node, event_id, authorization FROM work_orders WHERE job_id = ?",
                rs -> new WorkOrderRow(JobId.of(rs.getString(1)), EventId.of(rs.getString(2)), PublicKey.of(rs.getString(3)),
                        EventId.of(rs.getString(4)),
                        NodeJobRows.authorization(rs.getString(5))), jobId);
    }

    public synchronized Optional<Debt> debt(JobId jobId) {
        return queryOne("SELECT job_id, client, amount_msat, created_at, cleared_at FROM debts WHERE job_id = ?",
                rs -> new Debt(JobId.of(rs.getString(1)), PublicKey.of(rs.getString(2)), Msat.of(rs.getLong(3)), rs.getLong(4),
                        rs.getLong(5)), jobId);
    }

    /** A client with at least one metered job: known to this router, so no proof of work is asked of it. */
    public synchronized boolean knownClient(PublicKey client) {
        return queryOne("SELECT 1 FROM metering WHERE client = ? LIMIT 1", rs -> true, client).isPresent();
    }

    /**
     * What the router may trust {@code client} with in fees not yet proved (4401-quote.md, {@code run_on_payment}):
     * the fees it has paid this router, less those of its run-on-payment jobs not yet proved and not failed. A job
     * never proved keeps its fee out for good, so a client that skips fees can skip at most what it has paid.
     */
    public synchronized Msat feeCredit(PublicKey client) {
        return feeCredit(client, Msat.ZERO);
    }

    /** As {@link #feeCredit(PublicKey)}, with {@code allowance} more that the router extends unpaid. */
    public synchronized Msat feeCredit(PublicKey client, Msat allowance) {
        long paid = allowance.value() + count("SELECT coalesce(sum(p.amount_msat), 0) FROM payments p"
                + " JOIN jobs j ON j.job_id = p.job_id WHERE j.client = ? AND p.payee = 'fee'", client);
        long owed = count("SELECT coalesce(sum(q.fee_msat), 0) FROM jobs j JOIN quotes q ON q.quote_id = j.active_quote"
                + " WHERE j.client = ? AND q.run_on_payment = 1 AND j.state <> 'FAILED'"
                + " AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.payment_hash = q.fee_hash)", client);
        return Msat.of(Math.max(0, paid - owed));
    }

    public synchronized boolean hasOpenDebt(PublicKey client) {
        return queryOne("SELECT 1 FROM debts WHERE client = ? AND cleared_at = 0", rs -> true, client).isPresent();
    }

    public synchronized void clearDebt(JobId jobId, long at) {
        update("UPDATE debts SET cleared_at = ? WHERE job_id = ? AND cleared_at = 0", at, jobId);
    }

    // ---- metering ---------------------------------------------------------------------------------------------

    /** Appends a metering record; returns its sequence number (the existing one when the record is known). */
    public synchronized long appendMetering(EventId recordId, JobId jobId, PublicKey node, PublicKey client, long units,
            Msat price, List<String> paymentHashes, long at, Durability durability) {
        Optional<Long> known = queryOne("SELECT seq FROM metering WHERE record_id = ?", rs -> rs.getLong(1), recordId);
        if (known.isPresent()) {
            return known.get(); // checked first: a refused INSERT would still use up an AUTOINCREMENT number
        }
        transaction(durability.relaxed(), () -> {
            update("INSERT INTO metering (record_id, job_id, node, client, units, price_msat, payment_hashes,"
                    + " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", recordId, jobId, node, client, units, price,
                    String.join(",", paymentHashes), at);
            update("UPDATE jobs SET state = ? WHERE job_id = ?", RouterJobState.METERED.name(), jobId);
        });
        return queryOne("SELECT seq FROM metering WHERE record_id = ?", rs -> rs.getLong(1), recordId).orElseThrow();
    }

    public synchronized void setReceipt(EventId recordId, EventId receiptId, Durability durability) {
        unsynced(durability.relaxed(), () -> update("UPDATE metering SET receipt_id = ? WHERE record_id = ?", receiptId, recordId));
    }

    public synchronized Optional<MeteringEntry> metering(EventId recordId) {
        List<MeteringEntry> rows = meteringWhere("WHERE record_id = ?", recordId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** The highest ledger sequence number of the job's metering records, 0 when it has none. */
    public synchronized long meteringSeq(JobId jobId) {
        return queryOne("SELECT coalesce(max(seq), 0) FROM metering WHERE job_id = ?", rs -> rs.getLong(1), jobId)
                .orElse(0L);
    }

    public synchronized List<MeteringEntry> meteringLog() {
        return meteringWhere("ORDER BY seq");
    }

    // ---- node stats, progress, totals -------------------------------------------------------------------------

    public synchronized void saveNodeStats(PublicKey node, NodeStats s) {
        // statistics: unsynced, what a power loss takes back is a few observations
        unsynced(true, () -> update("INSERT OR REPLACE INTO node_stats (node, ewma_latency_ms, successes, failures,"
                + " timeouts, non_deliveries) VALUES (?, ?, ?, ?, ?, ?)", node, s.ewmaLatencyMs(), s.successes(),
                s.failures(), s.timeouts(), s.nonDeliveries()));
    }

    public synchronized Map<PublicKey, NodeStats> nodeStats() {
        Map<PublicKey, NodeStats> out = new HashMap<>();
        queryAll("SELECT node, ewma_latency_ms, successes, failures, timeouts, non_deliveries FROM node_stats", rs -> {
            out.put(PublicKey.of(rs.getString(1)), new NodeStats(rs.getDouble(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6)));
            return null;
        });
        return out;
    }

    // ---- slashing ---------------------------------------------------------------------------------------------

    /** Keeps a signed event (JSON) that a later claim about {@code jobId} may cite; idempotent. */
    public synchronized void keepEvidence(JobId jobId, EventId eventId, String eventJson, Durability durability) {
        unsynced(durability.relaxed(), () -> update("INSERT OR IGNORE INTO evidence (event_id, job_id, event) VALUES (?, ?, ?)",
                eventId, jobId, eventJson));
    }

    public synchronized List<String> evidence(JobId jobId) {
        return queryAll("SELECT event FROM evidence WHERE job_id = ? ORDER BY event_id", rs -> rs.getString(1), jobId);
    }

    /** Records a published slash claim; the node then gets no further work orders, across restarts. */
    public synchronized void recordSlash(JobId jobId, PublicKey node, EventId claimId, String claimJson, long at) {
        update("INSERT OR IGNORE INTO slashes (job_id, node, claim_id, claim_event, at) VALUES (?, ?, ?, ?, ?)",
                jobId, node, claimId, claimJson, at);
    }

    public synchronized Optional<EventId> slashClaim(JobId jobId) {
        return queryOne("SELECT claim_id FROM slashes WHERE job_id = ?", rs -> EventId.of(rs.getString(1)), jobId);
    }

    /** Every slash claim this router published (event JSON), oldest first. */
    public synchronized List<String> slashClaimEvents() {
        return queryAll("SELECT claim_event FROM slashes ORDER BY at, claim_id", rs -> rs.getString(1));
    }

    public synchronized java.util.Set<PublicKey> slashedNodes() {
        return new java.util.HashSet<>(queryAll("SELECT DISTINCT node FROM slashes", rs -> PublicKey.of(rs.getString(1))));
    }

    /** The newest created_at of an event the router finished handling: where a restart resubscribes from. */
    public synchronized long lastProcessed() {
        return queryOne("SELECT value FROM meta WHERE key = 'last_processed'", rs -> rs.getLong(1)).orElse(0L);
    }

    public synchronized void advanceProcessed(long createdAt) {
        // unsynced: a watermark lost with the machine only replays a few events to idempotent handlers
        unsynced(true, () -> update("INSERT INTO meta (key, value) VALUES ('last_processed', ?) ON CONFLICT(key)"
                + " DO UPDATE SET value = max(value, excluded.value)", createdAt));
    }

    public synchronized LedgerTotals totals() {
        long jobs = count("SELECT count(*) FROM jobs");
        long metered = count("SELECT count(DISTINCT job_id) FROM metering");
        long failed = count("SELECT count(*) FROM jobs WHERE state = 'FAILED'");
        long meteredMsat = count("SELECT coalesce(sum(price_msat), 0) FROM metering WHERE seq IN"
                + " (SELECT max(seq) FROM metering GROUP BY job_id)");
        long fees = count("SELECT coalesce(sum(amount_msat), 0) FROM payments WHERE payee = 'fee'");
        long openDebts = count("SELECT count(*) FROM debts WHERE cleared_at = 0");
        long openDebtMsat = count("SELECT coalesce(sum(amount_msat), 0) FROM debts WHERE cleared_at = 0");
        return new LedgerTotals(jobs, metered, failed, Msat.of(meteredMsat), Msat.of(fees), openDebts,
                Msat.of(openDebtMsat));
    }

    /**
     * Forgets jobs received before {@code cutoff} that are over and owe nothing: metered or failed, no open debt,
     * no slash claim (a claimed job keeps its evidence). Their spec, quotes, work order and evidence go, with spec
     * ids seen before the cutoff (an expired spec is refused on its own NIP-40 expiration, at most an hour after it
     * was signed) and debts cleared before it. The books stay: metering records, verified payments (each hash is
     * spent once, for good), node statistics and slashes. Returns the number of jobs forgotten.
     */
    public synchronized int pruneSettled(long cutoff) {
        int[] pruned = new int[1];
        transaction(() -> {
            String prunable = "SELECT job_id FROM jobs j WHERE received_at < ? AND state IN ('METERED', 'FAILED')"
                    + " AND NOT EXISTS (SELECT 1 FROM debts d WHERE d.job_id = j.job_id AND d.cleared_at = 0)"
                    + " AND NOT EXISTS (SELECT 1 FROM slashes s WHERE s.job_id = j.job_id)";
            update("DELETE FROM evidence WHERE job_id IN (" + prunable + ")", cutoff);
            // an event no relay would take in all that time is of no use any more: it goes too
            update("DELETE FROM router_outbox WHERE job_id IN (" + prunable + ")", cutoff);
            update("DELETE FROM quotes WHERE job_id IN (" + prunable + ")", cutoff);
            update("DELETE FROM work_orders WHERE job_id IN (" + prunable + ")", cutoff);
            pruned[0] = update("DELETE FROM jobs WHERE job_id IN (" + prunable + ")", cutoff);
            update("DELETE FROM seen_specs WHERE seen_at < ?", cutoff);
            update("DELETE FROM debts WHERE cleared_at > 0 AND cleared_at < ?", cutoff);
        });
        return pruned[0];
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new PaymentStoreException("cannot close router ledger", e);
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private List<RouterJobRow> jobs(String where, Object... args) {
        return queryAll("SELECT job_id, client, spec_event, state, active_quote, received_at, detail, latency_ms FROM jobs "
                + where, rs -> new RouterJobRow(JobId.of(rs.getString(1)), PublicKey.of(rs.getString(2)), rs.getString(3),
                        RouterJobState.valueOf(rs.getString(4)), optionalId(rs.getString(5)), rs.getLong(6), nonNull(rs.getString(7)),
                        rs.getLong(8)), args);
    }

    private List<RouterQuoteRow> quotes(String where, Object... args) {
        return queryAll("SELECT " + QUOTE_COLUMNS + " FROM quotes " + where, rs -> new RouterQuoteRow(EventId.of(rs.getString(1)),
                EventId.of(rs.getString(2)), JobId.of(rs.getString(3)), PublicKey.of(rs.getString(4)),
                PublicKey.of(rs.getString(5)), optionalKey(rs.getString(6)), rs.getString(7), rs.getString(8),
                Msat.of(rs.getLong(9)), Msat.of(rs.getLong(10)), rs.getString(11), rs.getString(12), NodeJobRows.timing(rs.getString(13)),
                rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getLong(17), rs.getInt(18) != 0, rs.getString(19)),
                args);
    }

    private List<MeteringEntry> meteringWhere(String where, Object... args) {
        return queryAll("SELECT seq, record_id, job_id, node, client, units, price_msat, payment_hashes, receipt_id,"
                + " recorded_at FROM metering " + where, rs -> new MeteringEntry(rs.getLong(1), EventId.of(rs.getString(2)),
                JobId.of(rs.getString(3)), PublicKey.of(rs.getString(4)), PublicKey.of(rs.getString(5)), rs.getLong(6),
                Msat.of(rs.getLong(7)),
                rs.getString(8).isEmpty() ? List.of() : Arrays.asList(rs.getString(8).split(",")), optionalId(rs.getString(9)),
                rs.getLong(10)), args);
    }

    /** A job opened and not yet quoted has no quote in force: "" rather than SQL's NULL. */
    private static String nonNull(String column) {
        return column == null ? "" : column;
    }

    /** An id column that may be empty (no quote in force yet, no receipt yet). */
    private static Optional<EventId> optionalId(String column) {
        return column == null || column.isEmpty() ? Optional.empty() : Optional.of(EventId.of(column));
    }

    /** A key column that may be empty (a quote without a fallback node). */
    private static Optional<PublicKey> optionalKey(String column) {
        return column == null || column.isEmpty() ? Optional.empty() : Optional.of(PublicKey.of(column));
    }
}
