package org.fedai.fl.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each rule against a crafted attack: honest updates scatter around a true direction, attackers do not. */
class AggregationRulesTest {

    private static final int D = 50;
    private static final double[] TRUE = new double[D];

    static {
        for (int i = 0; i < D; i++) {
            TRUE[i] = 1.0;
        }
    }

    /** honest updates TRUE + N(0, 0.1^2); attackers send -10 * TRUE (a boosted sign flip). */
    private static List<WeightedUpdate> updates(int honest, int attackers, long seed) {
        Random r = new Random(seed);
        List<WeightedUpdate> out = new ArrayList<>();
        for (int k = 0; k < honest; k++) {
            double[] v = new double[D];
            for (int i = 0; i < D; i++) {
                v[i] = TRUE[i] + 0.1 * r.nextGaussian();
            }
            out.add(new WeightedUpdate("honest-" + k, v, 100));
        }
        for (int k = 0; k < attackers; k++) {
            double[] v = new double[D];
            for (int i = 0; i < D; i++) {
                v[i] = -10 * TRUE[i];
            }
            out.add(new WeightedUpdate("attacker-" + k, v, 100));
        }
        return out;
    }

    private static void assertNearTruth(double[] agg) {
        for (double v : agg) {
            assertThat(v).isCloseTo(1.0, offset(0.15));
        }
    }

    @Test
    void fedAvgIsTheSampleWeightedMeanAndFallsToTheAttack() {
        List<WeightedUpdate> two = List.of(new WeightedUpdate("a", new double[] {1, 0}, 1), new WeightedUpdate("b", new double[] {0, 4}, 3));
        assertThat(new FedAvg().aggregate(two, List.of(), null).delta()).containsExactly(0.25, 3.0);
        double[] poisoned = new FedAvg().aggregate(updates(8, 2, 1), List.of(), null).delta();
        assertThat(poisoned[0]).isLessThan(0); // 0.8 * 1 + 0.2 * -10 = -1.2
    }

    @Test
    void medianIgnoresOutliers() {
        assertNearTruth(new CoordinateMedian().aggregate(updates(7, 3, 2), List.of(), null).delta());
        List<WeightedUpdate> odd = List.of(new WeightedUpdate("a", new double[] {1}, 1), new WeightedUpdate("b", new double[] {2}, 1),
                new WeightedUpdate("c", new double[] {1e9}, 1));
        assertThat(new CoordinateMedian().aggregate(odd, List.of(), null).delta()).containsExactly(2.0);
    }

    @Test
    void trimmedMeanDropsTheExtremes() {
        assertNearTruth(new TrimmedMean(0.2).aggregate(updates(8, 2, 3), List.of(), null).delta());
        double[] untrimmed = new TrimmedMean(0).aggregate(updates(8, 2, 3), List.of(), null).delta();
        assertThat(untrimmed[0]).isLessThan(0);
    }

    @Test
    void multiKrumExcludesTheAttackers() {
        Aggregate a = new MultiKrum(null, null).aggregate(updates(14, 6, 4), List.of(), null);
        assertNearTruth(a.delta());
        assertThat(a.excluded().keySet()).allMatch(s -> s.startsWith("attacker") || s.startsWith("honest"));
        assertThat(a.used()).noneMatch(s -> s.startsWith("attacker"));
        assertThat(a.excluded().keySet()).filteredOn(s -> s.startsWith("attacker")).hasSize(6);
    }

    @Test
    void krumPicksOneHonestUpdate() {
        Aggregate a = MultiKrum.krum().aggregate(updates(7, 3, 5), List.of(), null);
        assertThat(a.used()).hasSize(1).allMatch(s -> s.startsWith("honest"));
        for (double v : a.delta()) {
            assertThat(v).isCloseTo(1.0, offset(0.5)); // one honest update, noise and all
        }
    }

    @Test
    void flTrustGivesZeroTrustToUpdatesAgainstTheRootDirectionEvenWhenTheyAreTheMajority() {
        FlTrust rule = new FlTrust(global -> TRUE.clone());
        Aggregate a = rule.aggregate(updates(4, 6, 6), List.of(new Failure("late", "dropped out")), new double[D]);
        assertThat(a.used()).allMatch(s -> s.startsWith("honest")).hasSize(4);
        assertThat(a.excluded()).hasSize(6);
        // rescaled to the root update's norm, so the result has |TRUE|-sized steps along TRUE
        assertNearTruth(a.delta());
    }

    @Test
    void flTrustIgnoresMagnitudeBoosting() {
        List<WeightedUpdate> in = new ArrayList<>(updates(5, 0, 7));
        double[] boosted = new double[D];
        for (int i = 0; i < D; i++) {
            boosted[i] = 1000 * (i % 2 == 0 ? 1.0 : 0.2);
        }
        in.add(new WeightedUpdate("booster", boosted, 100));
        double[] agg = new FlTrust(global -> TRUE.clone()).aggregate(in, List.of(), new double[D]).delta();
        for (double v : agg) {
            assertThat(Math.abs(v)).isLessThan(2);
        }
    }
}
