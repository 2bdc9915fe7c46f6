package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router's books survive a reopen; metering is sequenced once per record; debts open and clear. */
class RouterLedgerTest {

    private static final JobId JOB = JobId.of("a".repeat(64));
    private static final PublicKey CLIENT = PublicKey.of("c".repeat(64));
    private static final PublicKey NODE = PublicKey.of("d".repeat(64));

    @TempDir
    Path dir;

    /**
     * Invariant: no two quotes carry one spare. A spare is taken for one job in one write, the soonest to expire
     * first, only while payable past the quote; a second take finds the next or nothing, across a reopen.
     */
    @Test
    void aSpareIsTakenOnceForOneJob() {
        RouterSpares.Spare soon = new RouterSpares.Spare("01".repeat(32), NODE, Msat.of(2000), "lnbcrt1a", 1000,
                false);
        RouterSpares.Spare later = new RouterSpares.Spare("02".repeat(32), NODE, Msat.of(2000), "lnbcrt1b", 2000,
                false);
        RouterSpares.Spare hold = new RouterSpares.Spare("03".repeat(32), NODE, Msat.of(2000), "lnbcrt1c", 3000,
                true);
        try (RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"))) {
            assertThat(ledger.spares().keep(soon)).isTrue();
            assertThat(ledger.spares().keep(soon)).isFalse(); // delivered twice: kept once
            ledger.spares().keep(later);
            assertThat(ledger.spares().held(NODE, Msat.of(2000), false, 0)).isEqualTo(2);
            ledger.spares().keep(hold);
            // soon: not payable then; hold: a hold invoice, which pays only hold and atomic jobs
            assertThat(ledger.spares().take(NODE, Msat.of(2000), false, 1500, JOB)).contains(later);
            assertThat(ledger.spares().take(CLIENT, Msat.of(2000), false, 0, JOB)).isEmpty(); // another owner's
        }
        try (RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"))) {
            assertThat(ledger.spares().take(NODE, Msat.of(2000), false, 1500, JOB)).isEmpty();
            assertThat(ledger.spares().held(NODE, Msat.of(2000), false, 500)).isEqualTo(1); // soon, not the hold one
            assertThat(ledger.spares().held(NODE, Msat.of(2000), true, 500)).isEqualTo(1);
            assertThat(ledger.spares().held(NODE, Msat.of(2000), false, 2000)).isZero(); // soon: not payable then
            assertThat(ledger.spares().take(NODE, Msat.of(2000), false, 500, JobId.of("b".repeat(64)))).contains(soon);
            assertThat(ledger.spares().take(NODE, Msat.of(2000), true, 500, JobId.of("c".repeat(64)))).contains(hold);
            assertThat(ledger.spares().held(NODE, Msat.of(2000), false, 0)).isZero();
            assertThat(ledger.spares().held(NODE, Msat.of(2000), true, 0)).isZero();
            assertThat(ledger.spares().prune(3001)).isEqualTo(3);
        }
    }

    private static RouterQuoteRow quote(String name, long at) {
        return new RouterQuoteRow(id(name), id(name + "n"), JOB, CLIENT, NODE, Optional.empty(), "02" + "ab".repeat(32),
                "regtest", Msat.of(2000), Msat.of(120), "lnbcrt1", "f".repeat(64), PaymentTiming.BEFORE, 10, 20, 30, at, false, "");
    }

    /** An event id named by a word: the word's sha256, as the ledger keeps real ids. */
    private static EventId id(String name) {
        return EventId.of(Hex.encode(Sha256.hash(name.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void feeCreditIsTheFeesPaidLessTheRunOnPaymentFeesNotYetProved() {
        // invariant (issue 17): a client that skips fees under run_on_payment can skip at most what it has paid
        try (RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"))) {
            JobId paid = jobFor(ledger, "paid", false, RouterJobState.METERED);
            ledger.recordPayment("a1".repeat(32), paid, "fee", Msat.of(120), 5);
            ledger.recordPayment("a2".repeat(32), paid, "node", Msat.of(2000), 5);
            assertThat(ledger.feeCredit(CLIENT)).isEqualTo(Msat.of(120)); // the node's price is no credit
            JobId open = jobFor(ledger, "open", true, RouterJobState.ACCEPTED);
            assertThat(ledger.feeCredit(CLIENT)).as("its fee is out until proved").isEqualTo(Msat.ZERO);
            jobFor(ledger, "failed", true, RouterJobState.FAILED);
            assertThat(ledger.feeCredit(CLIENT)).as("a failed job owes no fee").isEqualTo(Msat.ZERO);
            ledger.recordPayment("f".repeat(64), open, "fee", Msat.of(120), 6); // the quote's fee hash, proved
            assertThat(ledger.feeCredit(CLIENT)).isEqualTo(Msat.of(240));
            assertThat(ledger.feeCredit(PublicKey.of("0c".repeat(32)))).isEqualTo(Msat.ZERO);
            // a router's newcomer allowance is credit on top of what was paid
            assertThat(ledger.feeCredit(CLIENT, Msat.of(100))).isEqualTo(Msat.of(340));
            assertThat(ledger.feeCredit(PublicKey.of("0c".repeat(32)), Msat.of(100))).isEqualTo(Msat.of(100));
        }
    }

    private static JobId jobFor(RouterLedger ledger, String name, boolean runOnPayment, RouterJobState state) {
        JobId job = JobId.of(id(name).hex());
        ledger.openJob(job, CLIENT, "{}", 1);
        RouterQuoteRow q = quote("q" + name, 1000);
        ledger.recordQuote(new RouterQuoteRow(q.quoteId(), q.nodeCopyId(), job, CLIENT, NODE, Optional.empty(),
                q.nodeLightningPubkey(), q.nodeNetwork(), q.nodePrice(), q.fee(), q.feeInvoice(),
                runOnPayment ? "f".repeat(64) : "e".repeat(64), PaymentTiming.BEFORE, 10, 20, 30, 1000, runOnPayment, ""));
        ledger.setState(job, state, "");
        return job;
    }

    @Test
    void keepsEverythingAcrossAReopen() {
        Path file = dir.resolve("router.db");
        try (RouterLedger ledger = RouterLedger.open(file)) {
            assertThat(ledger.markSpecSeen(JOB, 1)).isTrue();
            ledger.openJob(JOB, CLIENT, "{}", 1);
            ledger.recordQuote(quote("q1", 1000));
            ledger.recordPayment("1".repeat(64), JOB, "node", Msat.of(2000), 5);
            ledger.recordWorkOrder(new RouterLedger.WorkOrderRow(JOB, id("q1"), NODE, id("w1"), WorkAuthorization.PAY_AFTER), 6,
                    new RouterLedger.Debt(JOB, CLIENT, Msat.of(2120), 6, 0), Durability.SYNCED);
            assertThat(ledger.appendMetering(id("r1"), JOB, NODE, CLIENT, 2, Msat.of(2000), List.of("1".repeat(64)), 7,
                    Durability.SYNCED)).isEqualTo(1);
            ledger.setReceipt(id("r1"), id("rc1"), Durability.SYNCED);
            ledger.saveNodeStats(NODE, NodeStats.NONE.withSuccess(250));
            ledger.advanceProcessed(42);
            ledger.advanceProcessed(40);
        }
        try (RouterLedger ledger = RouterLedger.open(file)) {
            assertThat(ledger.markSpecSeen(JOB, 2)).isFalse();
            assertThat(ledger.job(JOB).orElseThrow().state()).isEqualTo(RouterJobState.METERED);
            assertThat(ledger.quote(id("q1")).orElseThrow()).isEqualTo(quote("q1", 1000));
            assertThat(ledger.paymentJob("1".repeat(64))).contains(JOB);
            assertThat(ledger.verifiedHashes(JOB, "node")).containsExactly("1".repeat(64));
            assertThat(ledger.workOrder(JOB).orElseThrow().node()).isEqualTo(NODE);
            assertThat(ledger.hasOpenDebt(CLIENT)).isTrue();
            MeteringEntry entry = ledger.metering(id("r1")).orElseThrow();
            assertThat(entry.seq()).isEqualTo(1);
            assertThat(entry.receiptId()).contains(id("rc1"));
            assertThat(entry.paymentHashes()).containsExactly("1".repeat(64));
            assertThat(ledger.nodeStats().get(NODE).ewmaLatencyMs()).isEqualTo(250);
            assertThat(ledger.lastProcessed()).isEqualTo(42);
            assertThat(ledger.totals()).isEqualTo(new LedgerTotals(1, 1, 0, Msat.of(2000), Msat.ZERO, 1, Msat.of(2120)));
        }
    }

    @Test
    void sequencesEachRecordOnceAndClearsDebts() {
        try (RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"))) {
            ledger.openJob(JOB, CLIENT, "{}", 1);
            ledger.recordQuote(quote("q1", 1000));
            ledger.recordWorkOrder(new RouterLedger.WorkOrderRow(JOB, id("q1"), NODE, id("w1"), WorkAuthorization.PAY_AFTER), 6,
                    new RouterLedger.Debt(JOB, CLIENT, Msat.of(2120), 6, 0), Durability.SYNCED);
            assertThat(ledger.appendMetering(id("r1"), JOB, NODE, CLIENT, 2, Msat.of(2000), List.of(), 7, Durability.SYNCED)).isEqualTo(1);
            assertThat(ledger.appendMetering(id("r1"), JOB, NODE, CLIENT, 2, Msat.of(2000), List.of(), 8, Durability.SYNCED)).isEqualTo(1);
            assertThat(ledger.appendMetering(id("r2"), JOB, NODE, CLIENT, 2, Msat.of(2000), List.of("1".repeat(64)), 9, Durability.SYNCED))
                    .isEqualTo(2);
            ledger.clearDebt(JOB, 10);
            assertThat(ledger.hasOpenDebt(CLIENT)).isFalse();
            assertThat(ledger.debt(JOB).orElseThrow().clearedAt()).isEqualTo(10);
            // two records of one job count once in the totals: the latest is the job's account
            assertThat(ledger.totals().meteredAmount()).isEqualTo(Msat.of(2000));
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
            assertThat(job.activeQuoteId()).contains(id("q2"));
            assertThat(job.state()).isEqualTo(RouterJobState.QUOTED);
            assertThat(ledger.quotesFor(JOB)).extracting(RouterQuoteRow::quoteId).containsExactly(id("q1"), id("q2"));
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
            ledger.keepEvidence(JOB, id("e1"), "{\"id\":\"e1\"}", Durability.SYNCED);
            ledger.keepEvidence(JOB, id("e1"), "{\"id\":\"other\"}", Durability.SYNCED); // first copy kept
            ledger.recordSlash(JOB, NODE, id("claim1"), "{}", 9);
        }
        try (RouterLedger ledger = RouterLedger.open(file)) {
            assertThat(ledger.nodeStats().get(NODE).nonDeliveries()).isEqualTo(1);
            assertThat(ledger.nodeStats().get(NODE).observations()).isEqualTo(8);
            assertThat(ledger.evidence(JOB)).containsExactly("{\"id\":\"e1\"}");
            assertThat(ledger.slashClaim(JOB)).contains(id("claim1"));
            assertThat(ledger.slashedNodes()).containsExactly(NODE);
            assertThat(ledger.evidence(JobId.of("b".repeat(64)))).isEmpty();
        }
    }

    @Test
    void pruningForgetsOldFinishedJobsThatOweNothingAndKeepsTheBooks() {
        // invariant: retention never drops what money or a slash claim still needs
        JobId settled = JobId.of("1".repeat(64));
        JobId owing = JobId.of("2".repeat(64));
        JobId claimed = JobId.of("3".repeat(64));
        JobId recent = JobId.of("4".repeat(64));
        try (RouterLedger ledger = RouterLedger.open(dir.resolve("router.db"))) {
            for (JobId job : List.of(settled, owing, claimed, recent)) {
                long at = job.equals(recent) ? 5_000 : 100;
                ledger.markSpecSeen(job, at);
                ledger.openJob(job, CLIENT, "{\"spec\":1}", at);
                ledger.recordQuote(new RouterQuoteRow(id("q" + job), id("n" + job), job, CLIENT, NODE, Optional.empty(),
                        "02" + "ab".repeat(32), "regtest", Msat.of(2000), Msat.of(120), "lnbcrt1", "f".repeat(64), PaymentTiming.AFTER, 10, 20, 30, at * 1000, false, ""));
                ledger.keepEvidence(job, id("e" + job), "{}", Durability.SYNCED);
                ledger.recordPayment("9" + job.hex().substring(1), job, "node", Msat.of(2000), at);
                ledger.recordWorkOrder(new RouterLedger.WorkOrderRow(job, id("q" + job), NODE, id("w" + job), WorkAuthorization.PAY_AFTER), at,
                        new RouterLedger.Debt(job, CLIENT, Msat.of(2120), at, 0), Durability.SYNCED);
                ledger.appendMetering(id("r" + job), job, NODE, CLIENT, 2, Msat.of(2000), List.of(), at, Durability.SYNCED);
                if (!job.equals(owing)) {
                    ledger.clearDebt(job, at + 1);
                }
            }
            ledger.setState(claimed, RouterJobState.FAILED, "non-delivery");
            ledger.recordSlash(claimed, NODE, id("claim"), "{}", 200);

            assertThat(ledger.pruneSettled(1_000)).isEqualTo(1);

            assertThat(ledger.job(settled)).isEmpty();
            assertThat(ledger.quotesFor(settled)).isEmpty();
            assertThat(ledger.evidence(settled)).isEmpty();
            assertThat(ledger.workOrder(settled)).isEmpty();
            assertThat(ledger.metering(id("r" + settled))).as("the books stay").isPresent();
            assertThat(ledger.paymentJob("9" + settled.hex().substring(1))).as("a spent hash stays spent").contains(settled);
            assertThat(ledger.job(owing)).as("an open debt keeps its job").isPresent();
            assertThat(ledger.hasOpenDebt(CLIENT)).isTrue();
            assertThat(ledger.evidence(claimed)).as("a claimed job keeps its evidence").containsExactly("{}");
            assertThat(ledger.job(recent)).isPresent();
            assertThat(ledger.markSpecSeen(recent, 6_000)).isFalse();
        }
    }
}
