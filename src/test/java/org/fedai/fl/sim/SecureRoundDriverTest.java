package org.fedai.fl.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.fedai.fl.aggregation.RuleRegistry;
import org.fedai.fl.model.Vectors;
import org.fedai.fl.round.Contribution;
import org.fedai.fl.round.RuleStrategy;
import org.fedai.fl.round.SecureChannel;
import org.fedai.fl.round.SecureOutcome;
import org.fedai.fl.round.SecureRoundDriver;
import org.fedai.fl.secagg.SecAggMessage;
import org.fedai.fl.secagg.SecAggServer;
import org.junit.jupiter.api.Test;

/**
 * The secure round driver in process: simulated members behind a transport. Its result is the weighted mean
 * of everybody's update up to quantization, the reward splits per group, a dropped member is recovered
 * from, and the recomputation from the published reveal (what verify-round does) gives the same bits.
 */
class SecureRoundDriverTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int D = 6;
    private static final SecureRoundDriver.Scale SCALE = new SecureRoundDriver.Scale(1.0, 100);

    /** Passes everything through and keeps what a relay would publish: masks' public keys, masked inputs, reveals. */
    private static final class Recording implements SecureChannel {
        final SecureChannel inner;
        final Map<String, byte[]> maskKeys = new HashMap<>();
        final Map<String, int[]> masked = new HashMap<>();
        final Map<String, SecAggServer.Reveal> reveals = new HashMap<>();

        Recording(SecureChannel inner) {
            this.inner = inner;
        }

        @Override
        public List<SecAggMessage.EnrollmentKeys> enrollments(SecureRoundDriver.Group group) {
            List<SecAggMessage.EnrollmentKeys> keys = inner.enrollments(group);
            keys.forEach(k -> maskKeys.put(k.participant(), k.maskPublicKey()));
            return keys;
        }

        @Override
        public Map<String, List<SecAggMessage.EncryptedShare>> shares(List<SecureRoundDriver.Group> groups,
                                                                        Map<String, List<SecAggMessage.EnrollmentKeys>> enrolled) {
            return inner.shares(groups, enrolled);
        }

        @Override
        public void forward(Map<String, List<SecAggMessage.EncryptedShare>> byAddressee) {
            inner.forward(byAddressee);
        }

        @Override
        public Map<String, int[]> masked(int round, Set<String> expected) {
            Map<String, int[]> in = inner.masked(round, expected);
            masked.putAll(in);
            return in;
        }

        @Override
        public List<SecAggMessage.UnmaskResponse> unmask(Map<String, SecAggMessage.UnmaskRequest> requests) {
            return inner.unmask(requests);
        }

        @Override
        public void reveal(Map<String, SecAggServer.Reveal> reveals) {
            this.reveals.putAll(reveals);
        }
    }

    private record Round(List<SecureRoundDriver.Group> groups, Map<String, int[]> inputs, double[] expected) {
    }

    /** Nine members in groups of three, each with a clipped update and a sample count; the expected FedAvg step. */
    private static Round round(SecureRoundDriver driver, Set<String> absent) {
        List<String> roster = IntStream.range(0, 9).mapToObj(i -> "p" + i).toList();
        List<SecureRoundDriver.Group> groups = driver.groups("driver-test", 1, roster, D + 1, 0.34, 11);
        Random rnd = new Random(5);
        Map<String, int[]> inputs = new LinkedHashMap<>();
        double[] sum = new double[D];
        double weight = 0;
        for (SecureRoundDriver.Group g : groups) {
            for (String p : g.members()) {
                double[] delta = rnd.doubles(D, -0.5, 0.5).toArray();
                Vectors.clipInPlace(delta, SCALE.clip());
                int samples = 20 + rnd.nextInt(80);
                inputs.put(p, SecureRoundDriver.encode(SCALE, delta, samples, g.members().size()));
                if (!absent.contains(p)) {
                    Vectors.addScaledInPlace(sum, delta, samples);
                    weight += samples;
                }
            }
        }
        for (int j = 0; j < D; j++) {
            sum[j] /= weight;
        }
        return new Round(groups, inputs, sum);
    }

    @Test
    void aSecureFedAvgRoundIsTheWeightedMeanAndVerifiesFromItsReveal() {
        SecureRoundDriver driver = new SecureRoundDriver(new RuleStrategy("fedavg", new RuleRegistry.Trust.None(), 3, null), SCALE);
        Round r = round(driver, Set.of());
        assertThat(r.groups()).hasSize(3).allSatisfy(g -> assertThat(g.members()).hasSize(3));
        Recording channel = new Recording(new TransportChannel(r.groups(), r.inputs(), new InProcessTransport(),
                SecureRound.Dropouts.NONE, RANDOM));
        double[] global = new double[D];
        SecureOutcome out = driver.run(1, r.groups(), channel, global);
        assertThat(out.parameters()).containsExactly(r.expected(), within(1e-6));
        assertThat(out.aggregation().used()).containsExactlyInAnyOrder("g0", "g1", "g2");
        assertThat(out.contributions()).hasSize(9);
        assertThat(out.contributions().values().stream().mapToDouble(Contribution::share).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(out.unusable()).isEmpty();
        List<String> problems = new ArrayList<>();
        SecureOutcome again = driver.verify(r.groups(), channel.maskKeys, channel.masked, channel.reveals, global, problems);
        assertThat(problems).isEmpty();
        assertThat(again.parameters()).containsExactly(out.parameters());
    }

    @Test
    void aMemberThatVanishesAfterSharingIsRecoveredFromAndEarnsNothing() {
        SecureRoundDriver driver = new SecureRoundDriver(new RuleStrategy("median", new RuleRegistry.Trust.None(), 3, null), SCALE);
        String gone = "p4";
        Round r = round(driver, Set.of(gone));
        Recording channel = new Recording(new TransportChannel(r.groups(), r.inputs(), new InProcessTransport(),
                new SecureRound.Dropouts(Set.of(gone), Set.of()), RANDOM));
        SecureOutcome out = driver.run(1, r.groups(), channel, new double[D]);
        String hisGroup = r.groups().stream().filter(g -> g.members().contains(gone)).findFirst().orElseThrow().id();
        assertThat(out.groups().get(hisGroup)).isInstanceOfSatisfying(SecureRoundDriver.GroupSum.Summed.class,
                s -> assertThat(s.contributors()).hasSize(2).doesNotContain(gone));
        assertThat(out.contributions().get(gone).share()).isZero();
        assertThat(out.contributions().get(gone).reason()).isEqualTo("no masked input");
        List<String> problems = new ArrayList<>();
        assertThat(driver.verify(r.groups(), channel.maskKeys, channel.masked, channel.reveals, new double[D], problems).parameters())
                .containsExactly(out.parameters());
        assertThat(problems).isEmpty();
    }

    @Test
    void aGroupWithoutAPublishedRevealCountsAsAbortedAndIsAProblemOnlyIfItsRevealLies() {
        SecureRoundDriver driver = new SecureRoundDriver(new RuleStrategy("fedavg", new RuleRegistry.Trust.None(), 3, null), SCALE);
        Round r = round(driver, Set.of());
        Recording channel = new Recording(new TransportChannel(r.groups(), r.inputs(), new InProcessTransport(),
                SecureRound.Dropouts.NONE, RANDOM));
        driver.run(1, r.groups(), channel, new double[D]);
        Map<String, SecAggServer.Reveal> partial = new HashMap<>(channel.reveals);
        partial.remove("g1");
        List<String> problems = new ArrayList<>();
        SecureOutcome o = driver.verify(r.groups(), channel.maskKeys, channel.masked, partial, new double[D], problems);
        assertThat(o.groups().get("g1")).isInstanceOf(SecureRoundDriver.GroupSum.Aborted.class);
        assertThat(o.aggregation().used()).containsExactlyInAnyOrder("g0", "g2");
        assertThat(problems).isEmpty();
        SecAggServer.Reveal g0 = channel.reveals.get("g0");
        partial.put("g0", new SecAggServer.Reveal(g0.survivors(), g0.dropped(), channel.reveals.get("g2").selfMaskSeeds(), g0.maskKeys()));
        driver.verify(r.groups(), channel.maskKeys, channel.masked, partial, new double[D], problems);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("group g0 does not unmask"));
    }
}
