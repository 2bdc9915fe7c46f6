package org.fedai.fl.he;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * A Paillier public key (Paillier 1999, "Public-Key Cryptosystems Based on Composite Degree Residuosity
 * Classes") with the generator fixed to g = n + 1, which turns g^m mod n^2 into the single product
 * 1 + m*n: encryption then costs one modular exponentiation, the randomizer r^n mod n^2.
 *
 * <p>Written on java.math.BigInteger because no maintained Paillier library exists on Maven Central:
 * javallier (n1analytics), the usual choice, has had no release since 2017. BigInteger.modPow is not
 * constant-time; that matters only for the private key (see {@link PaillierPrivateKey}).
 */
public record PaillierPublicKey(BigInteger n) {

    public PaillierPublicKey {
        if (n == null || n.signum() <= 0 || !n.testBit(0) || n.bitLength() < 64) {
            throw new IllegalArgumentException("a Paillier modulus is an odd positive integer of at least 64 bits");
        }
    }

    public BigInteger nSquared() {
        return n.multiply(n);
    }

    /** Bits a packed plaintext may use so that it stays below n: one less than n's length. */
    public int plaintextBits() {
        return n.bitLength() - 1;
    }

    /** Bytes of one ciphertext, an element of Z*_{n^2}, written at fixed width. */
    public int ciphertextBytes() {
        return (2 * n.bitLength() + 7) / 8;
    }

    /**
     * r^n mod n^2 for a fresh uniform r in Z*_n. It does not depend on the message, so a client can
     * compute its randomizers before its update is ready (the expensive, "offline" half of encryption).
     */
    public BigInteger randomizer(SecureRandom random) {
        BigInteger r;
        do {
            r = new BigInteger(n.bitLength(), random);
        } while (r.signum() == 0 || r.compareTo(n) >= 0 || !r.gcd(n).equals(BigInteger.ONE));
        return r.modPow(n, nSquared());
    }

    /** Enc(m) = (1 + m*n) * r^n mod n^2 with the given randomizer; the cheap, "online" half. */
    public BigInteger encrypt(BigInteger m, BigInteger randomizer) {
        if (m.signum() < 0 || m.compareTo(n) >= 0) {
            throw new IllegalArgumentException("plaintext outside Z_n");
        }
        BigInteger n2 = nSquared();
        return BigInteger.ONE.add(m.multiply(n)).mod(n2).multiply(randomizer).mod(n2);
    }

    public BigInteger encrypt(BigInteger m, SecureRandom random) {
        return encrypt(m, randomizer(random));
    }

    /** Enc(a) * Enc(b) mod n^2 = Enc(a + b mod n): the homomorphic addition. */
    public BigInteger add(BigInteger a, BigInteger b) {
        return a.multiply(b).mod(nSquared());
    }

    /**
     * Whether c can be a ciphertext under this key: in [1, n^2) and a unit mod n^2. Anything else
     * would poison a product (a multiple of p or q even leaks a factor of n), so it is refused.
     */
    public boolean isCiphertext(BigInteger c) {
        return c != null && c.signum() > 0 && c.compareTo(nSquared()) < 0 && c.gcd(n).equals(BigInteger.ONE);
    }

    /**
     * {@link #isCiphertext} for a whole update with one gcd instead of one per block: each block is a unit
     * mod n^2 exactly when it is a unit mod n, and a product mod n is a unit exactly when every factor is.
     * A gcd of 4096-bit numbers costs more than the homomorphic addition itself.
     */
    public boolean areCiphertexts(java.util.List<BigInteger> blocks) {
        BigInteger n2 = nSquared();
        BigInteger acc = BigInteger.ONE;
        for (BigInteger c : blocks) {
            if (c == null || c.signum() <= 0 || c.compareTo(n2) >= 0) {
                return false;
            }
            acc = acc.multiply(c).mod(n);
        }
        return acc.gcd(n).equals(BigInteger.ONE);
    }
}
