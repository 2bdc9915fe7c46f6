package org.fedai.fl.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.fedai.fl.he.HeConfig;
import org.fedai.fl.secagg.Quantizer;
import org.junit.jupiter.api.Test;

/** The two privacy modes behind one interface: given the same group, both return the group's sum up to their quantization. */
class SecureSumTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final PaillierSum PAILLIER = PaillierSum.withFreshKey(1024, HeConfig.DEFAULT_VALUE_BITS, RANDOM);

    private static SecureSum.Group group(List<String> members, Map<String, double[]> inputs, Set<String> vanish, int d) {
        return new SecureSum.Group("test", 1, members, inputs, vanish, 1.0, d, 0.34, 42);
    }

    @Test
    void maskingAndPaillierBothReturnTheSumOfTheSameInputsUpToQuantization() {
        List<String> members = List.of("a", "b", "c", "d", "e");
        int d = 300;
        Random rnd = new Random(3);
        Map<String, double[]> inputs = new HashMap<>();
        double[] plain = new double[d];
        double[] paillierQuantized = new double[d];
        Quantizer he = new HeConfig(1, PAILLIER.publicKey(), members, 1.0, HeConfig.DEFAULT_VALUE_BITS, 5, 2, d).quantizer();
        for (String m : members) {
            double[] x = rnd.doubles(d, -1, 1).toArray();
            inputs.put(m, x);
            int[] q = he.encode(x);
            for (int i = 0; i < d; i++) {
                plain[i] += x[i];
                paillierQuantized[i] += he.decodeOne(q[i]);
            }
        }
        var masked = new MaskingSum().sum(group(members, inputs, Set.of(), d), new InProcessTransport(), RANDOM);
        var encrypted = PAILLIER.sum(group(members, inputs, Set.of(), d), new InProcessTransport(), RANDOM);
        double maskStep = new Quantizer(1.0, 5).step();
        assertThat(masked).isInstanceOfSatisfying(SecureSum.Outcome.Sum.class, s -> {
            assertThat(s.contributors()).containsExactlyInAnyOrderElementsOf(members);
            for (int i = 0; i < d; i++) {
                assertThat(s.values()[i]).isCloseTo(plain[i], offset(5 * maskStep / 2 + 1e-9));
            }
        });
        assertThat(encrypted).isInstanceOfSatisfying(SecureSum.Outcome.Sum.class, s -> {
            assertThat(s.contributors()).containsExactlyElementsOf(members);
            for (int i = 0; i < d; i++) {
                assertThat(s.values()[i]).isCloseTo(paillierQuantized[i], offset(1e-9)); // exactly the quantized sum
                assertThat(s.values()[i]).isCloseTo(plain[i], offset(5 * he.step() / 2 + 1e-9));
            }
            // 1024-bit n: 256-byte ciphertexts; 19-bit slots (16 + 3 for N = 5), 53 per block: 6 blocks per member
            assertThat(s.bytes()).isEqualTo(6 * 6 * 256L + 8L * d);
            assertThat(s.messages()).isEqualTo(7);
        });
    }

    @Test
    void aMemberThatVanishesIsLeftOutByBothModesAndASoleSurvivorIsNeverDecrypted() {
        List<String> members = List.of("a", "b", "c");
        int d = 20;
        Map<String, double[]> inputs = Map.of("a", filled(d, 0.5), "b", filled(d, -0.25), "c", filled(d, 0.1));
        var masked = new MaskingSum().sum(group(members, inputs, Set.of("c"), d), new InProcessTransport(), RANDOM);
        var encrypted = PAILLIER.sum(group(members, inputs, Set.of("c"), d), new InProcessTransport(), RANDOM);
        for (SecureSum.Outcome o : List.of(masked, encrypted)) {
            assertThat(o).isInstanceOfSatisfying(SecureSum.Outcome.Sum.class, s -> {
                assertThat(s.contributors()).containsExactlyInAnyOrder("a", "b");
                assertThat(s.values()[0]).isCloseTo(0.25, offset(1e-4));
            });
        }
        var alone = PAILLIER.sum(group(members, Map.of("a", filled(d, 0.5)), Set.of(), d), new InProcessTransport(), RANDOM);
        assertThat(alone).isInstanceOfSatisfying(SecureSum.Outcome.Aborted.class,
                a -> assertThat(a.reason()).contains("TOO_FEW_CONTRIBUTORS"));
    }

    @Test
    void modesAreChosenByName() {
        assertThat(SecureSum.named("masking", 0).name()).isEqualTo("masking");
        assertThat(((PaillierSum) SecureSum.named("paillier", 1024)).modulusBits()).isEqualTo(1024);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SecureSum.named("rsa", 2048)).hasMessageContaining("masking|paillier");
    }

    private static double[] filled(int d, double v) {
        double[] x = new double[d];
        java.util.Arrays.fill(x, v);
        return x;
    }
}
