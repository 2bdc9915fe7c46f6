package org.fedai.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;

/** How {@link NodeJobJournal} maps a {@code node_jobs} row to a {@link NodeJob}, and back for its JSON columns. */
final class NodeJobRows {

    /**
     * ASCII-only JSON: a lone surrogate (which a client's JSON escape can carry) would not survive SQLite's UTF-8,
     * so every non-ASCII character is stored as a \\u escape and a restarted node runs exactly what it received.
     */
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    static final String COLUMNS = "job_id, state, quote_event, router, client, model, task, input_sha256,"
            + " units, price_msat, timing, accept_by, deliver_by, quote_expires_at, bolt11, payment_hash,"
            + " invoice_expires_at, input_event, input_texts, input_params, order_event, authorization,"
            + " payment_hashes, order_deliver_by, started_at, finished_at, output_sha256, used_units, unit, error,"
            + " run_on_payment, created_at, updated_at";

    /** The non-terminal states, listed so that the state index serves the query (NOT IN would scan). */
    static final String OPEN_STATES = java.util.Arrays.stream(NodeJobState.values())
            .filter(st -> !st.terminal()).map(st -> "'" + st.name() + "'")
            .collect(java.util.stream.Collectors.joining(", "));

    private NodeJobRows() {
    }

    /** The {@code node_jobs} table beside its {@link #COLUMNS}, which every query of the journal selects. */
    static void createTable(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS node_jobs (
                  job_id TEXT PRIMARY KEY, state TEXT NOT NULL,
                  quote_event TEXT NOT NULL, router TEXT NOT NULL, client TEXT NOT NULL,
                  model TEXT NOT NULL, task TEXT NOT NULL, input_sha256 TEXT NOT NULL,
                  units INTEGER NOT NULL, price_msat INTEGER NOT NULL, timing TEXT NOT NULL,
                  accept_by INTEGER NOT NULL, deliver_by INTEGER NOT NULL, quote_expires_at INTEGER NOT NULL,
                  bolt11 TEXT, payment_hash TEXT UNIQUE, invoice_expires_at INTEGER,
                  input_event TEXT, input_texts TEXT, input_params TEXT,
                  order_event TEXT, authorization TEXT, payment_hashes TEXT, order_deliver_by INTEGER,
                  started_at INTEGER, finished_at INTEGER, output_sha256 TEXT, used_units INTEGER,
                  unit TEXT, error TEXT, settled_at INTEGER,
                  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
                )""");
        addColumnIfMissing(s, "preimage", "TEXT");
        addColumnIfMissing(s, "run_on_payment", "INTEGER NOT NULL DEFAULT 0"); // issue 17: the quote's run_on_payment
        // every sweep lists open jobs: index the state, or each sweep scans the node's whole history
        s.execute("CREATE INDEX IF NOT EXISTS node_jobs_state ON node_jobs (state)");
    }

    /** Journals written before a column existed gain it on open; SQLite has no ADD COLUMN IF NOT EXISTS. */
    static void addColumnIfMissing(Statement s, String column, String type) throws SQLException {
        addColumnIfMissing(s, "node_jobs", column, type);
    }

    /** The same for another table of the node journal (names are this code's, never input). */
    static void addColumnIfMissing(Statement s, String table, String column, String type) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pragma_table_info('" + table + "') WHERE name = '" + column
                + "'")) {
            if (rs.next()) {
                return;
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }

    static NodeJob row(ResultSet rs) throws SQLException {
        NodeJob.Terms terms = new NodeJob.Terms(EventId.of(rs.getString("quote_event")), PublicKey.of(rs.getString("router")),
                PublicKey.of(rs.getString("client")), rs.getString("model"), rs.getString("task"), rs.getString("input_sha256"),
                rs.getLong("units"), Msat.of(rs.getLong("price_msat")), timing(rs.getString("timing")), rs.getLong("accept_by"),
                rs.getLong("deliver_by"), rs.getLong("quote_expires_at"), rs.getInt("run_on_payment") != 0);
        Optional<NodeJob.InvoiceRef> invoice = rs.getString("bolt11") == null ? Optional.empty()
                : Optional.of(new NodeJob.InvoiceRef(rs.getString("bolt11"), rs.getString("payment_hash"),
                        rs.getLong("invoice_expires_at")));
        Optional<NodeJob.Input> input = rs.getString("input_event") == null ? Optional.empty()
                : Optional.of(new NodeJob.Input(EventId.of(rs.getString("input_event")),
                        read(rs.getString("input_texts"), new TypeReference<List<String>>() { }),
                        read(rs.getString("input_params"), new TypeReference<Map<String, String>>() { })));
        Optional<NodeJob.Order> order = rs.getString("order_event") == null ? Optional.empty()
                : Optional.of(new NodeJob.Order(EventId.of(rs.getString("order_event")), authorization(rs.getString("authorization")),
                        read(rs.getString("payment_hashes"), new TypeReference<List<String>>() { }),
                        rs.getLong("order_deliver_by")));
        long started = rs.getLong("started_at");
        Optional<NodeJob.Outcome> outcome = rs.getObject("started_at") == null && rs.getObject("finished_at") == null
                ? Optional.empty()
                : Optional.of(new NodeJob.Outcome(started, rs.getLong("finished_at"),
                        nullToEmpty(rs.getString("output_sha256")), rs.getLong("used_units"),
                        nullToEmpty(rs.getString("unit")), nullToEmpty(rs.getString("error"))));
        return new NodeJob(JobId.of(rs.getString("job_id")), NodeJobState.valueOf(rs.getString("state")), terms, invoice, input,
                order, outcome, rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    /** The journalled wire code as the timing; an unknown code is a corrupt journal. */
    static PaymentTiming timing(String code) {
        return PaymentTiming.ofCode(code).orElseThrow(() -> new IllegalStateException("unknown timing " + code));
    }

    /** The journalled wire code as the authorization; an unknown code is a corrupt journal. */
    static WorkAuthorization authorization(String code) {
        return WorkAuthorization.ofCode(code).orElseThrow(() -> new IllegalStateException("unknown authorization "
                + code));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new NodeJournalException("corrupt journal JSON", e);
        }
    }
}
