package org.fedai.roles.router;

import org.fedai.domain.Msat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.store.RouterProbationJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterAdmissionTest {

    private static final long GIB = 1L << 30;
    private static final RouterBenchmarks SOUND = new RouterBenchmarks(20_000, 1500, 8, 3, 4, 8 * GIB, 50 * GIB);

    @TempDir
    Path dir;

    @Test
    void minimumsMayBeRaisedButNeverLoweredBelowTheFloor() {
        RouterMinimums raised = RouterMinimums.FLOOR.raise(Map.of("verify_per_s", 10_000.0, "cores", 4.0));
        assertThat(raised.minVerifyPerSec()).isEqualTo(10_000);
        assertThat(raised.minCores()).isEqualTo(4);
        assertThat(raised.minSha256MBps()).isEqualTo(RouterMinimums.FLOOR.minSha256MBps());
        // raising to exactly the floor is allowed (it changes nothing)
        assertThat(RouterMinimums.FLOOR.raise(Map.of("sha256_mbps", 100.0))).isEqualTo(RouterMinimums.FLOOR);

        assertThatThrownBy(() -> RouterMinimums.FLOOR.raise(Map.of("verify_per_s", 1999.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("verify_per_s")
                .hasMessageContaining("may only be raised").hasMessageContaining("2000");
        assertThatThrownBy(() -> raised.raise(Map.of("cores", 1.0))).hasMessageContaining("may only be raised");
        assertThatThrownBy(() -> RouterMinimums.FLOOR.raise(Map.of("memory_gbps", Double.NaN)))
                .hasMessageContaining("memory_gbps");
        assertThatThrownBy(() -> RouterMinimums.FLOOR.raise(Map.of("gpu", 1.0)))
                .hasMessageContaining("unknown router minimum gpu");
    }

    @Test
    void aSoundMachineIsAdmittedAndItsCommitmentOpensWithTheJournaledSalt() {
        try (RouterProbationJournal journal = RouterProbationJournal.open(dir.resolve("r.db"))) {
            RouterAdmission.Outcome outcome = RouterAdmission.admit(SOUND, RouterMinimums.FLOOR, journal,
                    InstantSource.system());
            assertThat(outcome).isInstanceOf(RouterAdmission.Admitted.class);
            String commitment = ((RouterAdmission.Admitted) outcome).commitment();
            RouterProbationJournal.BenchRun run = journal.bench(commitment).orElseThrow();
            String opened = Hex.encode(Sha256.hash(("fedai:router-bench:" + run.saltHex() + ":" + run.figures())
                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(opened).isEqualTo(commitment);
            assertThat(run.figures()).contains("verify_per_s=20000.0;");
            assertThat(SOUND.commitment(Hex.decode(run.saltHex()))).isEqualTo(commitment);
            // a different salt gives a different commitment: guesses at the figures cannot be tested against it
            assertThat(SOUND.commitment(new byte[16])).isNotEqualTo(commitment);
        }
    }

    @Test
    void aShortMachineIsRefusedWithEveryShortfallNamed() {
        RouterBenchmarks slow = new RouterBenchmarks(150, 1500, 0.2, Double.NaN, 1, 8 * GIB, 50 * GIB);
        try (RouterProbationJournal journal = RouterProbationJournal.inMemory()) {
            RouterAdmission.Outcome outcome = RouterAdmission.admit(slow, RouterMinimums.FLOOR, journal,
                    InstantSource.system());
            assertThat(outcome).isInstanceOf(RouterAdmission.Refused.class);
            RouterAdmission.Refused refused = (RouterAdmission.Refused) outcome;
            assertThat(refused.shortfalls()).extracting(RouterMinimums.Shortfall::figure)
                    .containsExactlyInAnyOrder("verify_per_s", "memory_gbps", "matmul_gflops", "cores");
            assertThat(refused.message()).contains("verify_per_s measured 150, minimum 2000")
                    .contains("matmul_gflops measured NaN");
        }
    }

    @Test
    void raisedMinimumsRefuseWhatTheFloorAdmits() {
        RouterMinimums strict = RouterMinimums.FLOOR.raise(Map.of("verify_per_s", 50_000.0));
        assertThat(RouterMinimums.FLOOR.check(SOUND)).isEmpty();
        assertThat(strict.check(SOUND)).extracting(RouterMinimums.Shortfall::figure).containsExactly("verify_per_s");
    }

    @Test
    void measuresEveryFigureOnThisMachine() {
        RouterBenchmarks measured = RouterBenchmarks.measure(dir, Duration.ofMillis(40));
        assertThat(measured.asMap().values()).allSatisfy(v -> assertThat(v).isPositive());
        assertThat(measured.announced()).containsOnlyKeys("verify_per_s", "sha256_mbps", "memory_gbps",
                "matmul_gflops");
    }

    @Test
    void announcedFiguresAreRoundedToTwoSignificantFigures() {
        RouterBenchmarks exact = new RouterBenchmarks(21_734, 1523.7, 8.25, 3.14159, 4, 8 * GIB, 50 * GIB);
        assertThat(exact.announced()).containsEntry("verify_per_s", 22_000.0).containsEntry("sha256_mbps", 1500.0)
                .containsEntry("memory_gbps", 8.3).containsEntry("matmul_gflops", 3.1);
    }

    @Test
    void probationTermsMayOnlyBeMadeStricter() {
        ProbationTerms stricter = new ProbationTerms(100, 5000, 100_000, Msat.of(50_000), 1024);
        assertThat(stricter.noLooserThan(ProbationTerms.DEFAULT)).isSameAs(stricter);
        assertThat(ProbationTerms.DEFAULT.noLooserThan(ProbationTerms.DEFAULT)).isEqualTo(ProbationTerms.DEFAULT);
        assertThatThrownBy(() -> new ProbationTerms(10, 1000, 250_000, Msat.of(100_000), 65_536)
                .noLooserThan(ProbationTerms.DEFAULT)).hasMessageContaining("jobs to graduate 10")
                .hasMessageContaining("raised");
        assertThatThrownBy(() -> new ProbationTerms(50, 999, 250_000, Msat.of(100_000), 65_536)
                .noLooserThan(ProbationTerms.DEFAULT)).hasMessageContaining("stake units");
        assertThatThrownBy(() -> new ProbationTerms(50, 1000, 250_001, Msat.of(100_000), 65_536)
                .noLooserThan(ProbationTerms.DEFAULT)).hasMessageContaining("share").hasMessageContaining("lowered");
        assertThatThrownBy(() -> new ProbationTerms(50, 1000, 250_000, Msat.of(100_001), 65_536)
                .noLooserThan(ProbationTerms.DEFAULT)).hasMessageContaining("largest job");
        assertThatThrownBy(() -> new ProbationTerms(50, 1000, 250_000, Msat.of(100_000), 65_537)
                .noLooserThan(ProbationTerms.DEFAULT)).hasMessageContaining("largest input");
        assertThatThrownBy(() -> new ProbationTerms(50, 1000, 1_000_001, Msat.of(0), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Invariant: re-measuring never admits a machine none of whose runs meets a minimum. */
    @Test
    void aFigureShortOnAColdFirstRunIsMeasuredAgainAndItsBestRunCounts() {
        RouterBenchmarks cold = new RouterBenchmarks(20_000, 89, 8, 3, 4, 8 * GIB, 50 * GIB);
        RouterBenchmarks warm = new RouterBenchmarks(18_000, 1500, 7, Double.NaN, 4, 8 * GIB, 49 * GIB);
        java.util.Iterator<RouterBenchmarks> runs = java.util.List.of(cold, warm).iterator();
        java.util.List<String> progress = new java.util.ArrayList<>();

        RouterBenchmarks best = RouterBenchmarks.measureAgainst(RouterMinimums.FLOOR, 3, runs::next, progress::add);

        assertThat(best).isEqualTo(new RouterBenchmarks(20_000, 1500, 8, 3, 4, 8 * GIB, 49 * GIB));
        assertThat(RouterMinimums.FLOOR.check(best)).isEmpty();
        assertThat(progress).singleElement().asString().contains("sha256_mbps measured 89, minimum 100")
                .contains("run 2 of 3");

        int[] measured = {0};
        RouterBenchmarks starved = RouterBenchmarks.measureAgainst(RouterMinimums.FLOOR, 3, () -> {
            measured[0]++;
            return cold;
        }, line -> { });
        assertThat(measured[0]).isEqualTo(3);
        assertThat(RouterMinimums.FLOOR.check(starved)).extracting(RouterMinimums.Shortfall::figure)
                .containsExactly("sha256_mbps");

        int[] sound = {0};
        RouterBenchmarks.measureAgainst(RouterMinimums.FLOOR, 3, () -> {
            sound[0]++;
            return SOUND;
        }, line -> { });
        assertThat(sound[0]).as("a machine that passes is measured once").isEqualTo(1);
    }
}
