package org.fedai.fl.secagg;

/**
 * Fixed-point encoding of reals in the declared clip range [-range, range] into Z_{2^32}, sized so
 * that the sum of up to maxSummands encodings never wraps: the integer sum is therefore exact and
 * decodes to the sum of the individually dequantized values, bit for bit.
 *
 * <p>Each value maps to round((clamp(x) + range) / step) in [0, levels], step = 2*range/levels,
 * levels = floor((2^32 - 1) / maxSummands). Values outside the range are clamped (the clip range
 * is declared by the task, and honest clients clip their updates to it).
 */
public record Quantizer(double range, int maxSummands) {

    public static final long MODULUS = 1L << 32;

    public Quantizer {
        if (!(range > 0) || !Double.isFinite(range) || maxSummands < 1) {
            throw new IllegalArgumentException("range must be positive and finite, maxSummands >= 1");
        }
    }

    public long levels() {
        return (MODULUS - 1) / maxSummands;
    }

    public double step() {
        return 2 * range / levels();
    }

    public int[] encode(double[] x) {
        int[] q = new int[x.length];
        long levels = levels();
        double step = step();
        for (int i = 0; i < x.length; i++) {
            double c = Math.max(-range, Math.min(range, x[i]));
            long v = Math.round((c + range) / step);
            q[i] = (int) Math.min(levels, Math.max(0, v));
        }
        return q;
    }

    /** The real value one encoded word stands for. */
    public double decodeOne(int q) {
        return Integer.toUnsignedLong(q) * step() - range;
    }

    /** Decodes a sum (mod 2^32) of exactly `summands` encodings into the sum of their values. */
    public double[] decodeSum(int[] sum, int summands) {
        if (summands < 1 || summands > maxSummands) {
            throw new IllegalArgumentException("summands " + summands + " outside 1.." + maxSummands);
        }
        double step = step();
        double[] out = new double[sum.length];
        for (int i = 0; i < sum.length; i++) {
            out[i] = Integer.toUnsignedLong(sum[i]) * step - summands * range;
        }
        return out;
    }
}
