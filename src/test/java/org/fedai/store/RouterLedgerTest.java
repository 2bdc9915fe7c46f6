package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
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
                "lnbcrt1", "f".repeat(64), PaymentTiming.BEFORE, 10, 20, 30, at);
    }

    @Test
    void keepsEverythingAcrossAReopen() {
        Path file = dir.resolve("router.db");
        try (RouterLedger ledger = RouterLedger.open(file)) {
            assertThat(ledger.markSpecSeen(JOB, 1)).isTrue();
            ledger.openJob(JOB, CLIENT, "{}", 1);
            ledger.recordQuote(quote("q1", 1000));
            ledger.recordPayment("1".repeat(64), JOB, "node", 2000, 5);
            ledger.recordWorkOrder(new RouterLedger.WorkOrderRow(JOB, "q1", NODE, "w1", WorkAuthorization.PAY_AFTER), 6,
                    new RouterLedger.Debt(JOB, CLIENT, 2120, 6, 0), Durability.SYNCED);
            assertThat(ledger.appendMetering("r1", JOB, NODE, CLIENT, 2, 2000, List.of("1".repeat(64)), 7,
                    Durability.SYNCED)).isEqualTo(1);
            ledger.setReceipt("r1", "rc1", Durability.SYNCED);
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
            ledger.recordWorkOrder(new RouterLedger.WorkOrderRow(JOB, "q1", NODE, "w1", WorkAuthorization.PAY_AFTER), 6,
                    new RouterLedger.Debt(JOB, CLIENT, 2120, 6, 0), Durability.SYNCED);
            assertThat(ledger.appendMetering("r1", JOB, NODE, CLIENT, 2, 2000, List.of(), 7, Durability.SYNCED)).isEqualTo(1);
            assertThat(ledger.appendMetering("r1", JOB, NODE, CLIENT, 2, 2000, List.of(), 8, Durability.SYNCED)).isEqualTo(1);
            assertThat(ledger.appendMetering("r2", JOB, NODE, CLIENT, 2, 2000, List.of("1".repeat(64)), 9, Durability.SYNCED))
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
            ledger.keepEvidence(JOB, "e1", "{\"id\":\"e1\"}", Durability.SYNCED);
            ledger.keepEvidence(JOB, "e1", "{\"id\":\"other\"}", Durability.SYNCED); // first copy kept
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

    @Test
    void pruningForgetsOldFinishedJobsThatOweNothingAndKeepsTheBooks() {
        // invariant: retention never drops what money or a slash claim still needs
        String settled = "1".repeat(64);
        String owing = "2".repeat(64);
        String claimed = "3".repeat(64);
        String recent = "4".repeat(64);
        try (RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"))) {
            for (String job : List.of(settled, owing, claimed, recent)) {
                long at = job.equals(recent) ? 5_000 : 100;
                ledger.markSpecSeen(job, at);
                ledger.openJob(job, CLIENT, "{\"spec\":1}", at);
                ledger.recordQuote(new RouterQuoteRow("q" + job, "n" + job, job, CLIENT, NODE, "", "02" + "ab".repeat(32),
                        "regtest", 2000, 120, "lnbcrt1", "f".repeat(64), PaymentTiming.AFTER, 10, 20, 30, at * 1000));
                ledger.keepEvidence(job, "e" + job, "{}", Durability.SYNCED);
                ledger.recordPayment("9" + job.substring(1), job, "node", 2000, at);
                ledger.recordWorkOrder(new RouterLedger.WorkOrderRow(job, "q" + job, NODE, "w" + job, WorkAuthorization.PAY_AFTER), at,
                        new RouterLedger.Debt(job, CLIENT, 2120, at, 0), Durability.SYNCED);
                ledger.appendMetering("r" + job, job, NODE, CLIENT, 2, 2000, List.of(), at, Durability.SYNCED);
                if (!job.equals(owing)) {
                    ledger.clearDebt(job, at + 1);
                }
            }
            ledger.setState(claimed, RouterJobState.FAILED, "non-delivery");
            ledger.recordSlash(claimed, NODE, "claim", "{}", 200);

            assertThat(ledger.pruneSettled(1_000)).isEqualTo(1);

            assertThat(ledger.job(settled)).isEmpty();
            assertThat(ledger.quotesFor(settled)).isEmpty();
            assertThat(ledger.evidence(settled)).isEmpty();
            assertThat(ledger.workOrder(settled)).isEmpty();
            assertThat(ledger.metering("r" + settled)).as("the books stay").isPresent();
            assertThat(ledger.paymentJob("9" + settled.substring(1))).as("a spent hash stays spent").contains(settled);
            assertThat(ledger.job(owing)).as("an open debt keeps its job").isPresent();
            assertThat(ledger.hasOpenDebt(CLIENT)).isTrue();
            assertThat(ledger.evidence(claimed)).as("a claimed job keeps its evidence").containsExactly("{}");
            assertThat(ledger.job(recent)).isPresent();
            assertThat(ledger.markSpecSeen(recent, 6_000)).isFalse();
        }
    }
}
