package org.fedai.fl.secagg;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shamir t-of-n secret sharing of 32-byte secrets over the prime field GF(P), P = 2^256 + 297 (the
 * smallest prime above 2^256, so every 256-bit secret is a field element and is recovered bit-exact).
 * Any t shares determine the degree t-1 polynomial; t-1 shares are consistent with every secret.
 */
public final class Shamir {

    public static final BigInteger P = BigInteger.ONE.shiftLeft(256).add(BigInteger.valueOf(297));
    /** Share values are below P < 2^257, so they fit in 33 bytes. */
    public static final int SHARE_BYTES = 33;

    /** One point (x, f(x)) of the polynomial; x is the holder's 1-based index, never 0 (f(0) is the secret). */
    public record Share(int x, BigInteger y) {
        public Share {
            if (x < 1) {
                throw new IllegalArgumentException("share x must be >= 1, got " + x);
            }
            if (y.signum() < 0 || y.compareTo(P) >= 0) {
                throw new IllegalArgumentException("share value outside the field");
            }
        }
    }

    private Shamir() {
    }

    /** Shares the 32-byte secret among the holders with the given x-coordinates; any threshold of them reconstruct. */
    public static List<Share> split(byte[] secret32, int threshold, int[] holders, SecureRandom random) {
        if (secret32.length != 32) {
            throw new IllegalArgumentException("secret must be 32 bytes");
        }
        if (threshold < 1 || threshold > holders.length) {
            throw new IllegalArgumentException("threshold " + threshold + " impossible with " + holders.length + " holders");
        }
        Set<Integer> distinct = new HashSet<>();
        for (int x : holders) {
            if (x < 1 || !distinct.add(x)) {
                throw new IllegalArgumentException("holder x-coordinates must be distinct and >= 1");
            }
        }
        BigInteger[] coeff = new BigInteger[threshold];
        coeff[0] = new BigInteger(1, secret32);
        for (int i = 1; i < threshold; i++) {
            coeff[i] = new BigInteger(257, random).mod(P);
        }
        List<Share> shares = new ArrayList<>(holders.length);
        for (int x : holders) {
            BigInteger bx = BigInteger.valueOf(x);
            BigInteger y = BigInteger.ZERO;
            for (int i = threshold - 1; i >= 0; i--) { // Horner
                y = y.multiply(bx).add(coeff[i]).mod(P);
            }
            shares.add(new Share(x, y));
        }
        return shares;
    }

    /**
     * Lagrange interpolation at 0 from exactly the shares given (callers pass at least the threshold).
     * Throws if x-coordinates repeat or the result is not a 256-bit value, which is what too few or
     * corrupted shares produce with overwhelming probability.
     */
    public static byte[] reconstruct(List<Share> shares) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("no shares");
        }
        Set<Integer> xs = new HashSet<>();
        for (Share s : shares) {
            if (!xs.add(s.x())) {
                throw new IllegalArgumentException("duplicate share x=" + s.x());
            }
        }
        BigInteger secret = BigInteger.ZERO;
        for (Share i : shares) {
            BigInteger num = BigInteger.ONE;
            BigInteger den = BigInteger.ONE;
            for (Share j : shares) {
                if (j == i) {
                    continue;
                }
                num = num.multiply(BigInteger.valueOf(j.x())).mod(P);
                den = den.multiply(BigInteger.valueOf(j.x() - i.x())).mod(P);
            }
            BigInteger lagrange = num.multiply(den.modInverse(P)).mod(P);
            secret = secret.add(i.y().multiply(lagrange)).mod(P);
        }
        if (secret.bitLength() > 256) {
            throw new IllegalArgumentException("shares do not reconstruct a 256-bit secret (too few or corrupted)");
        }
        return toFixed(secret, 32);
    }

    static byte[] toFixed(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }
}
