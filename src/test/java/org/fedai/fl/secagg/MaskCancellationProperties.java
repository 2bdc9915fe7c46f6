package org.fedai.fl.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fedai.fl.sim.InProcessTransport;
import org.fedai.fl.sim.SecureRound;

class MaskCancellationProperties {

    @Property(tries = 15)
    void masksCancelExactlyInTheSum(@ForAll @IntRange(min = 2, max = 24) int n, @ForAll @IntRange(min = 1, max = 300) int length,
                                    @ForAll long seed) {
        List<String> roster = IntStream.range(0, n).mapToObj(i -> "p" + i).toList();
        SecAggConfig cfg = SecAggConfig.forRoster("prop", 1, roster, length, 0, seed);
        Random r = new Random(seed);
        Map<String, int[]> inputs = new HashMap<>();
        int[] expected = new int[length];
        for (String p : roster) {
            int[] x = r.ints(length).toArray(); // any ring elements: cancellation must hold mod 2^32
            inputs.put(p, x);
            for (int i = 0; i < length; i++) {
                expected[i] += x[i];
            }
        }
        SecAggOutcome out = SecureRound.run(cfg, inputs, new InProcessTransport(), SecureRound.Dropouts.NONE, new SecureRandom());
        assertThat(out).isInstanceOf(SecAggOutcome.Sum.class);
        assertThat(((SecAggOutcome.Sum) out).values()).isEqualTo(expected);
    }

    @Property(tries = 50)
    void aMaskAddedAndSubtractedLeavesNothing(@ForAll byte[] seedBytes, @ForAll @IntRange(min = 1, max = 5000) int length) {
        byte[] seed = java.util.Arrays.copyOf(seedBytes, 32);
        int[] v = new int[length];
        MaskStream.addMask(v, seed, new byte[32], MaskStream.PAIRWISE, +1);
        assertThat(v).isNotEqualTo(new int[length]);
        MaskStream.addMask(v, seed, new byte[32], MaskStream.PAIRWISE, -1);
        assertThat(v).isEqualTo(new int[length]);
    }

    @Property(tries = 50)
    void aMaskComputedInSlicesEqualsTheWholeMask(@ForAll @IntRange(min = 1, max = 40_000) int length,
                                                 @ForAll @IntRange(min = 1, max = 5000) int sliceBlocks) {
        byte[] key = MaskStream.hkdf(new byte[] {1, 2, 3}, new byte[32], MaskStream.SELF);
        int[] whole = new int[length];
        MaskStream.addKeystream(whole, 0, length, key, +1);
        int[] sliced = new int[length];
        int slice = 4 * sliceBlocks;
        for (int from = 0; from < length; from += slice) {
            MaskStream.addKeystream(sliced, from, Math.min(length, from + slice), key, +1);
        }
        assertThat(sliced).isEqualTo(whole);
    }
}
