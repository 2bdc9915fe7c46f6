package org.fedai.fl.he;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SlotPackingProperties {

    @Property(tries = 300)
    void packThenUnpackGivesTheValuesBack(@ForAll @IntRange(min = 2, max = 31) int bits, @ForAll @IntRange(min = 1, max = 5000) int n,
                                          @ForAll @IntRange(min = 64, max = 4095) int plaintextBits,
                                          @ForAll @IntRange(min = 1, max = 700) int length, @ForAll long seed) {
        SlotPacking p = new SlotPacking(bits, n, plaintextBits);
        long[] v = random(length, p.maxValue(), new Random(seed));
        BigInteger[] blocks = p.pack(v);
        assertThat(blocks).hasSize((length + p.slotsPerBlock() - 1) / p.slotsPerBlock());
        assertThat(blocks).allSatisfy(b -> assertThat(b.bitLength()).isLessThanOrEqualTo(plaintextBits));
        assertThat(p.unpack(blocks, length)).containsExactly(v);
    }

    @Property(tries = 200)
    void theSumOfUpToNPackedVectorsUnpacksToTheSlotwiseSums(@ForAll @IntRange(min = 2, max = 24) int bits,
                                                             @ForAll @IntRange(min = 1, max = 64) int n,
                                                             @ForAll @IntRange(min = 1, max = 300) int length, @ForAll long seed) {
        SlotPacking p = new SlotPacking(bits, n, 1023);
        Random rnd = new Random(seed);
        long[] expected = new long[length];
        BigInteger[] sum = null;
        for (int k = 0; k < n; k++) {
            // the worst case for carries: every slot at its maximum, half the time
            long[] v = rnd.nextBoolean() ? random(length, p.maxValue(), rnd) : filled(length, p.maxValue());
            BigInteger[] blocks = p.pack(v);
            for (int i = 0; i < length; i++) {
                expected[i] += v[i];
            }
            if (sum == null) {
                sum = blocks;
            } else {
                for (int b = 0; b < blocks.length; b++) {
                    sum[b] = sum[b].add(blocks[b]);
                }
            }
        }
        assertThat(sum).allSatisfy(b -> assertThat(b.bitLength()).isLessThanOrEqualTo(1023));
        assertThat(p.unpack(sum, length)).containsExactly(expected);
    }

    @Example
    void slotWidthIsValueBitsPlusCeilLog2OfNPlusOne() {
        assertThat(new SlotPacking(16, 1, 2047).slotBits()).isEqualTo(17);
        assertThat(new SlotPacking(16, 3, 2047).slotBits()).isEqualTo(18);
        assertThat(new SlotPacking(16, 4, 2047).slotBits()).isEqualTo(19);
        assertThat(new SlotPacking(16, 100, 2047).slotBits()).isEqualTo(23);
        assertThat(new SlotPacking(16, 100, 2047).slotsPerBlock()).isEqualTo(89);
    }

    @Example
    void refusesValuesOutsideTheirBitsAndSlotsThatDoNotFit() {
        SlotPacking p = new SlotPacking(8, 3, 127);
        assertThatThrownBy(() -> p.pack(new long[] {256})).hasMessageContaining("outside 0..255");
        assertThatThrownBy(() -> p.pack(new long[] {-1})).hasMessageContaining("outside");
        assertThatThrownBy(() -> new SlotPacking(31, 1 << 30, 60)).hasMessageContaining("does not fit");
        BigInteger overflowing = BigInteger.ONE.shiftLeft(p.slotBits() * 2);
        assertThatThrownBy(() -> p.unpack(new BigInteger[] {overflowing}, 2)).hasMessageContaining("overflows");
    }

    private static long[] random(int length, long max, Random rnd) {
        long[] v = new long[length];
        for (int i = 0; i < length; i++) {
            v[i] = rnd.nextLong(max + 1);
        }
        return v;
    }

    private static long[] filled(int length, long max) {
        long[] v = new long[length];
        java.util.Arrays.fill(v, max);
        return v;
    }
}
