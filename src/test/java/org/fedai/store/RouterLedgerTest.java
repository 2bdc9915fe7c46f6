package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router's books survive a reopen; metering is sequenced once per record; debts open and clear. */
class RouterLedgerTest {

    private static final String JOB = "a".repeat(64);
    private static final String CLIENT = "c".repeat(64);
    private static final String NODE = "d".repeat(64);

    @TempDir
    Path dir;

    private static RouterQuoteRow quote(String id, long at) {
        return new RouterQuoteRow(id, id + "n", JOB, CLIENT, NODE, "", "02" + "ab".repeat(32), "regtest", 2000, 120,
                "lnbcrt1", "f".repeat(64), "before", 10, 20, 30, at);
    }

    @Test
    void keepsEverythingAcrossAReopen() {
        Path file = dir.resolve("router.db");
        try (RouterLedger ledger = RouterLedger.open(file)) {
            assertThat(ledger.markSpecSeen(JOB, 1)).isTrue();
            ledger.openJob(JOB, CLIENT, "{}", 1);
            ledger.recordQuote(quote("q1", 1000));
            ledger.recordPayment("1".repeat(64), JOB, "node", 2000, 5);
            ledger.recordWorkOrder(new RouterLedger.WorkOrderRow(JOB, "q1", NODE, "w1", "pay_after"), 6,
                    new RouterLedger.Debt(JOB, CLIENT, 2120, 6, 0));
            assertThat(ledger.appendMetering("r1", JOB, NODE, CLIENT, 2, 2000, List.of("1".repeat(64)), 7)).isEqualTo(1);
            ledger.setReceipt("r1", "rc1");
            ledger.saveNodeStats(NODE, NodeStats.NONE.withSuccess(250));
            ledger.advanceProcessed(42);
            ledger.advanceProcessed(40);
        }
        try (RouterLedger ledger = RouterLedger.open(file)) {
            assertThat(ledger.markSpecSeen(JOB, 2)).isFalse();
            assertThat(ledger.job(JOB).orElseThrow().state()).isEqualTo(RouterJobState.METERED);
            assertThat(ledger.quote("q1").orElseThrow()).isEqualTo(quote("q1", 1000));
            assertThat(ledger.paymentJob("1".repeat(64))).contains(JOB);
            assertThat(ledger.verifiedHashes(JOB, "node")).containsExactly("1".repeat(64));
            assertThat(ledger.workOrder(JOB).orElseThrow().node()).isEqualTo(NODE);
            assertThat(ledger.hasOpenDebt(CLIENT)).isTrue();
            MeteringEntry entry = ledger.metering("r1").orElseThrow();
            assertThat(entry.seq()).isEqualTo(1);
            assertThat(entry.receiptId()).isEqualTo("rc1");
            assertThat(entry.paymentHashes()).containsExactly("1".repeat(64));
            assertThat(ledger.nodeStats().get(NODE).ewmaLatencyMs()).isEqualTo(250);
            assertThat(ledger.lastProcessed()).isEqualTo(42);
            assertThat(ledger.totals()).isEqualTo(new LedgerTotals(1, 1, 0, 2000, 0, 1, 2120));
        }
    }

    @Test
    void sequencesEachRecordOnceAndClearsDebts() {
        try (RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"))) {
            ledger.openJob(JOB, CLIENT, "{}", 1);
            ledger.recordQuote(quote("q1", 1000));
            ledger.recordWorkOrder(new RouterLedger.WorkOrderRow(JOB, "q1", NODE, "w1", "pay_after"), 6,
                    new RouterLedger.Debt(JOB, CLIENT, 2120, 6, 0));
            assertThat(ledger.appendMetering("r1", JOB, NODE, CLIENT, 2, 2000, List.of(), 7)).isEqualTo(1);
            assertThat(ledger.appendMetering("r1", JOB, NODE, CLIENT, 2, 2000, List.of(), 8)).isEqualTo(1);
            assertThat(ledger.appendMetering("r2", JOB, NODE, CLIENT, 2, 2000, List.of("1".repeat(64)), 9))
                    .isEqualTo(2);
            ledger.clearDebt(JOB, 10);
            assertThat(ledger.hasOpenDebt(CLIENT)).isFalse();
            assertThat(ledger.debt(JOB).orElseThrow().clearedAt()).isEqualTo(10);
            // two records of one job count once in the totals: the latest is the job's account
            assertThat(ledger.totals().meteredMsat()).isEqualTo(2000);
            assertThat(ledger.totals().openDebts()).isZero();
        }
    }

    @Test
    void aLaterQuoteTakesOverTheJob() {
        try (RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"))) {
            ledger.openJob(JOB, CLIENT, "{}", 1);
            ledger.recordQuote(quote("q1", 1000));
            ledger.setState(JOB, RouterJobState.ACCEPTED, "");
            ledger.recordQuote(quote("q2", 2000));
            RouterJobRow job = ledger.job(JOB).orElseThrow();
            assertThat(job.activeQuoteId()).isEqualTo("q2");
            assertThat(job.state()).isEqualTo(RouterJobState.QUOTED);
            assertThat(ledger.quotesFor(JOB)).extracting(RouterQuoteRow::quoteId).containsExactly("q1", "q2");
        }
    }

    @Test
    void keepsEvidenceAndSlashesAndReadsALedgerWrittenBeforeSlashing() throws Exception {
        Path file = dir.resolve("old.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                var s = c.createStatement()) {
            s.execute("CREATE TABLE node_stats (node TEXT PRIMARY KEY, ewma_latency_ms REAL NOT NULL,"
                    + " successes INTEGER NOT NULL, failures INTEGER NOT NULL, timeouts INTEGER NOT NULL)");
            s.execute("INSERT INTO node_stats VALUES ('" + NODE + "', 300.0, 4, 1, 2)");
        }
        try (RouterLedger ledger = RouterLedger.open(file)) {
            assertThat(ledger.nodeStats()).containsEntry(NODE, new NodeStats(300, 4, 1, 2, 0));
            ledger.saveNodeStats(NODE, ledger.nodeStats().get(NODE).withNonDelivery());
            ledger.keepEvidence(JOB, "e1", "{\"id\":\"e1\"}");
            ledger.keepEvidence(JOB, "e1", "{\"id\":\"other\"}"); // first copy kept
            ledger.recordSlash(JOB, NODE, "claim1", "{}", 9);
        }
        try (RouterLedger ledger = RouterLedger.open(file)) {
            assertThat(ledger.nodeStats().get(NODE).nonDeliveries()).isEqualTo(1);
            assertThat(ledger.nodeStats().get(NODE).observations()).isEqualTo(8);
            assertThat(ledger.evidence(JOB)).containsExactly("{\"id\":\"e1\"}");
            assertThat(ledger.slashClaim(JOB)).contains("claim1");
            assertThat(ledger.slashedNodes()).containsExactly(NODE);
            assertThat(ledger.evidence("b".repeat(64))).isEmpty();
        }
    }
}
