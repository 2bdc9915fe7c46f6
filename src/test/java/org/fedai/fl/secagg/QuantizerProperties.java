package org.fedai.fl.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class QuantizerProperties {

    @Property(tries = 300)
    void sumOfEncodingsDecodesExactlyToTheSumOfDequantizedValues(
            @ForAll @Size(min = 1, max = 40) double[] raw, @ForAll @IntRange(min = 1, max = 1000) int n,
            @ForAll @DoubleRange(min = 0.01, max = 100) double range) {
        Quantizer q = new Quantizer(range, n);
        int summands = Math.min(n, raw.length);
        int[] sum = new int[1];
        long exactLevels = 0;
        double plain = 0;
        for (int k = 0; k < summands; k++) {
            double x = Double.isFinite(raw[k]) ? Math.max(-range, Math.min(range, raw[k] % range)) : 0;
            int e = q.encode(new double[] {x})[0];
            exactLevels += Integer.toUnsignedLong(e);
            sum[0] += e; // mod 2^32, as secure aggregation adds
            plain += x;
        }
        // no wrap: the modular sum is the exact integer sum, so decoding loses nothing beyond rounding
        assertThat(Integer.toUnsignedLong(sum[0])).isEqualTo(exactLevels);
        double decoded = q.decodeSum(sum, summands)[0];
        assertThat(decoded).isCloseTo(exactLevels * q.step() - summands * range, org.assertj.core.data.Offset.offset(1e-9 * range * summands));
        assertThat(Math.abs(decoded - plain)).isLessThanOrEqualTo(summands * q.step() / 2 + 1e-9 * range * summands);
    }

    @Property(tries = 200)
    void encodeThenDecodeIsWithinHalfAStep(@ForAll @DoubleRange(min = -5, max = 5) double x) {
        Quantizer q = new Quantizer(5, 20);
        assertThat(q.decodeOne(q.encode(new double[] {x})[0])).isCloseTo(x, org.assertj.core.data.Offset.offset(q.step() / 2 + 1e-12));
    }

    @Example
    void extremesOfTheRangeNeverWrapWhenAllSummandsAreMaximal() {
        Quantizer q = new Quantizer(1, 100);
        int[] sum = new int[2];
        for (int i = 0; i < 100; i++) {
            int[] e = q.encode(new double[] {1, -1});
            sum[0] += e[0];
            sum[1] += e[1];
        }
        double[] d = q.decodeSum(sum, 100);
        assertThat(d[0]).isCloseTo(100, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d[1]).isCloseTo(-100, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Example
    void valuesOutsideTheDeclaredRangeAreClamped() {
        Quantizer q = new Quantizer(1, 4);
        assertThat(q.decodeOne(q.encode(new double[] {1e9})[0])).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(q.decodeOne(q.encode(new double[] {-1e9})[0])).isCloseTo(-1, org.assertj.core.data.Offset.offset(1e-9));
    }
}
