package org.fedai.roles.router;

import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.RouterAnnouncement.ProbationState;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.StakeBond;
import org.fedai.protocol.StakeBondCodec;
import org.fedai.store.RouterProbationJournal;
import org.fedai.testing.market.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbationTest {

    private static final long GIB = 1L << 30;
    private static final RouterBenchmarks FIGURES = new RouterBenchmarks(20_000, 1500, 8, 3, 4, 8 * GIB, 50 * GIB);
    /** Small numbers so a test can graduate: 3 jobs and 500 units; a quarter of specs up to 10 000 msat, 1 KiB. */
    private static final ProbationTerms TERMS = new ProbationTerms(3, 500, 250_000, Msat.of(10_000), 1024);

    @TempDir
    Path dir;

    private final KeyPair router = KeyPair.generate();
    private final TestClock clock = new TestClock();
    private final AtomicLong completed = new AtomicLong();

    private Probation open(RouterProbationJournal journal) {
        return new Probation(TERMS, PublicKey.of(router.publicKey()), FIGURES, "ab".repeat(32), journal, completed::get, clock);
    }

    private static JobRequest.Spec spec(long maxPriceMsat, long inputBytes) {
        long now = System.currentTimeMillis() / 1000;
        return new JobRequest.Spec("m", "embedding", "00".repeat(32), inputBytes, 1, maxPriceMsat,
                JobRequest.Constraints.none(), PaymentTiming.BEFORE, now + 600, now + 300);
    }

    private static JobId jobId(int i) {
        return JobId.of(Hex.encode(Sha256.hash(("job-" + i).getBytes(StandardCharsets.UTF_8))));
    }

    private Event bond(KeyPair bonder, String target, long units, long expiresIn) {
        long now = clock.instant().getEpochSecond();
        return EventSigner.sign(StakeBondCodec.encode(new StakeBond("bond-1", target, units, 30 * 86_400,
                now + expiresIn), now), bonder);
    }

    @Test
    void answersAboutItsShareDeterministicallyAndDifferentlyFromAnotherRouter() {
        try (RouterProbationJournal journal = RouterProbationJournal.inMemory();
                RouterProbationJournal otherJournal = RouterProbationJournal.inMemory()) {
            Probation probation = open(journal);
            Probation other = new Probation(TERMS, PublicKey.of(KeyPair.generate().publicKey()), FIGURES, "", otherJournal,
                    completed::get, clock);
            JobRequest.Spec small = spec(5_000, 100);
            List<JobId> ids = IntStream.range(0, 4000).mapToObj(ProbationTest::jobId).toList();
            long answered = ids.stream().filter(id -> probation.refusal(id, small) == null).count();
            // 25 % of 4000 is 1000; sha256 draws are uniform, so a few standard deviations (27) around it
            assertThat(answered).isBetween(900L, 1100L);
            // deterministic: asking again gives the same answer for every id
            assertThat(ids.stream().filter(id -> probation.refusal(id, small) == null).count()).isEqualTo(answered);
            assertThat(ids.stream().filter(id -> probation.refusal(id, small) != null)
                    .map(id -> probation.refusal(id, small))).containsOnly("probation_share");
            // another router drops a different set: most specs one drops, the other answers in a quarter of cases
            long bothDrop = ids.stream().filter(id -> !probation.inShare(id) && !other.inShare(id)).count();
            assertThat(bothDrop).isBetween(2100L, 2400L); // 0.75 * 0.75 * 4000 = 2250, not 3000
        }
    }

    @Test
    void refusesLargeJobsAndLargeInputsWhateverTheShare() {
        try (RouterProbationJournal journal = RouterProbationJournal.inMemory()) {
            Probation probation = open(journal);
            JobId inShare = IntStream.range(0, 100).mapToObj(ProbationTest::jobId).filter(probation::inShare)
                    .findFirst().orElseThrow();
            assertThat(probation.refusal(inShare, spec(10_000, 1024))).isNull();
            assertThat(probation.refusal(inShare, spec(10_001, 100))).isEqualTo("probation_job_too_large");
            assertThat(probation.refusal(inShare, spec(5_000, 1025))).isEqualTo("probation_job_too_large");
        }
    }

    @Test
    void graduatesOnlyWithBothJobsAndStakeAndFallsBackWhenTheStakeLapses() {
        try (RouterProbationJournal journal = RouterProbationJournal.open(dir.resolve("r.db"))) {
            Probation probation = open(journal);
            assertThat(probation.state()).isEqualTo(ProbationState.PROBATION);

            completed.set(3);
            assertThat(probation.refresh()).as("jobs alone").isEqualTo(ProbationState.PROBATION);

            KeyPair sponsor = KeyPair.generate();
            probation.onBond(bond(sponsor, KeyPair.generate().publicKey(), 10_000, 86_400)); // names someone else
            probation.onBond(bond(sponsor, router.publicKey(), 400, 86_400)); // too little
            assertThat(probation.state()).isEqualTo(ProbationState.PROBATION);
            probation.onBond(bond(KeyPair.generate(), router.publicKey(), 200, 3600)); // a second bonder: 600 in all
            assertThat(probation.state()).isEqualTo(ProbationState.ACTIVE);
            assertThat(probation.refusal(jobId(1), spec(1_000_000, 1 << 20))).as("no caps once active").isNull();

            RouterAnnouncement.Probation announced = probation.announced();
            assertThat(announced.stakeUnits()).as("decayed by at most a second").isBetween(599L, 600L);
            assertThat(announced).isEqualTo(new RouterAnnouncement.Probation(ProbationState.ACTIVE, 3, 3,
                    announced.stakeUnits(), 500, 250_000, 10_000, 1024, "ab".repeat(32)));

            // the one-hour bond expires: 400 units (barely decayed) are below 500, so back to probation
            clock.advanceSeconds(3601);
            assertThat(probation.refresh()).isEqualTo(ProbationState.PROBATION);
            assertThat(journal.standing().orElseThrow().state()).isEqualTo("probation");
        }
    }

    @Test
    void aForgedBondCountsNothing() {
        try (RouterProbationJournal journal = RouterProbationJournal.inMemory()) {
            Probation probation = open(journal);
            completed.set(3);
            Event good = bond(KeyPair.generate(), router.publicKey(), 5000, 86_400);
            Event forged = new Event(good.id(), good.pubkey(), good.createdAt(), good.kind(), good.tags(),
                    good.content().replace("5000", "9000"), good.sig());
            probation.onBond(forged);
            assertThat(probation.state()).isEqualTo(ProbationState.PROBATION);
            assertThat(probation.bondRejections()).containsKey("forged");
            assertThat(journal.bonds()).isEmpty();
        }
    }

    @Test
    void standingAndCountedBondsSurviveARestartBeforeAnyRelaySendsThemAgain() {
        Path db = dir.resolve("router.db");
        completed.set(5);
        try (RouterProbationJournal journal = RouterProbationJournal.open(db)) {
            Probation probation = open(journal);
            probation.onBond(bond(KeyPair.generate(), router.publicKey(), 800, 86_400));
            assertThat(probation.state()).isEqualTo(ProbationState.ACTIVE);
        }
        try (RouterProbationJournal reopened = RouterProbationJournal.open(db)) {
            Probation restarted = open(reopened);
            assertThat(restarted.state()).isEqualTo(ProbationState.ACTIVE);
            assertThat(restarted.stakeUnits()).isGreaterThan(799);
            assertThat(reopened.standing().orElseThrow().state()).isEqualTo("active");
        }
    }

    @Test
    void aNewerBondFromTheSameBonderReplacesTheOlderInTheJournal() {
        try (RouterProbationJournal journal = RouterProbationJournal.inMemory()) {
            Probation probation = open(journal);
            KeyPair sponsor = KeyPair.generate();
            probation.onBond(bond(sponsor, router.publicKey(), 100, 86_400));
            clock.advanceSeconds(10);
            probation.onBond(bond(sponsor, router.publicKey(), 700, 86_400));
            assertThat(journal.bonds()).hasSize(1).first().asString().contains("700");
            assertThat(Set.copyOf(journal.bonds())).hasSize(1);
        }
    }
}
