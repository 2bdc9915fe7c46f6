package org.fedai.fl.he;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.fedai.fl.secagg.Quantizer;
import org.junit.jupiter.api.Test;

class PaillierRoundTest {

    /** The production key size, once: an N-client round equals plain summation of the same quantized inputs. */
    @Test
    void aRoundUnderA2048BitKeyGivesExactlyThePlainQuantizedSum() {
        SecureRandom random = new SecureRandom();
        PaillierKeyPair keys = PaillierKeyPair.generate(PaillierKeyPair.DEFAULT_BITS, random);
        int n = 5;
        int d = 400;
        List<String> roster = PaillierProperties.roster(n);
        HeConfig cfg = new HeConfig(3, keys.publicKey(), roster, 0.5, HeConfig.DEFAULT_VALUE_BITS, n, 2, d);
        assertThat(keys.publicKey().n().bitLength()).isEqualTo(2048);
        assertThat(cfg.packing().slotBits()).isEqualTo(19);
        assertThat(cfg.blocks()).isEqualTo((d + 106) / 107); // 2047 / 19 = 107 slots per block

        Quantizer q = cfg.quantizer();
        Random rnd = new Random(7);
        long[] plainLevels = new long[d];
        double[] plainSum = new double[d];
        PaillierAggregator agg = new PaillierAggregator(cfg);
        for (String who : roster) {
            double[] update = rnd.doubles(d, -0.7, 0.7).toArray(); // some outside the range: clamped alike on both paths
            int[] levels = q.encode(update);
            for (int i = 0; i < d; i++) {
                plainLevels[i] += Integer.toUnsignedLong(levels[i]);
                plainSum[i] += q.decodeOne(levels[i]);
            }
            PackedCiphertext c = PaillierClient.encrypt(cfg, update, random);
            assertThat(c.bytes(keys.publicKey())).isEqualTo(cfg.blocks() * 512L);
            assertThat(agg.accept(who, c)).isEmpty();
        }
        HeOutcome out = new PaillierKeyHolder(keys.privateKey(), cfg).open(agg.sum().orElseThrow());
        assertThat(out).isInstanceOfSatisfying(HeOutcome.Sum.class, s -> {
            assertThat(s.levels()).containsExactly(plainLevels);
            for (int i = 0; i < d; i++) {
                assertThat(s.values()[i]).isEqualTo(plainLevels[i] * q.step() - n * 0.5);
                assertThat(s.values()[i]).isCloseTo(plainSum[i], org.assertj.core.data.Offset.offset(1e-9));
            }
        });
    }
}
