package org.fedai.fl.he;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The factorisation of n, enough to decrypt. Decryption works modulo p^2 and q^2 separately and joins
 * the halves with the Chinese remainder theorem (Paillier 1999, section 7): two exponentiations with
 * half-size exponents and moduli, about four times faster than c^lambda mod n^2.
 *
 * <p>Custody: in fedai this key lives with the task's key holder (the validation node), never with the
 * aggregator; see {@link PaillierKeyHolder}. BigInteger.modPow is not constant-time, so the key holder's
 * decryption timing depends on p and q; it decrypts only aggregates, a few per round, on its own machine.
 */
public record PaillierPrivateKey(PaillierPublicKey publicKey, BigInteger p, BigInteger q) {

    public PaillierPrivateKey {
        Objects.requireNonNull(publicKey);
        if (p.equals(q) || !p.multiply(q).equals(publicKey.n())) {
            throw new IllegalArgumentException("p and q must be distinct factors of n");
        }
    }

    public BigInteger decrypt(BigInteger c) {
        if (!publicKey.isCiphertext(c)) {
            throw new IllegalArgumentException("not a ciphertext under this key");
        }
        BigInteger mp = half(c, p, q);
        BigInteger mq = half(c, q, p);
        // Garner: m = mq + q * ((mp - mq) * q^-1 mod p), the unique m in Z_n with both residues
        return mp.subtract(mq).multiply(q.modInverse(p)).mod(p).multiply(q).add(mq);
    }

    /**
     * m mod p = L_p(c^(p-1) mod p^2) * h_p mod p, with L_p(x) = (x - 1) / p and h_p = L_p(g^(p-1) mod p^2)^-1.
     * With g = n + 1, g^(p-1) = 1 + (p-1)n mod p^2, so L_p of it is (p-1)q = -q mod p: h_p = (-q)^-1 mod p,
     * no exponentiation needed.
     */
    private static BigInteger half(BigInteger c, BigInteger p, BigInteger q) {
        BigInteger p2 = p.multiply(p);
        BigInteger u = c.mod(p2).modPow(p.subtract(BigInteger.ONE), p2);
        BigInteger l = u.subtract(BigInteger.ONE).divide(p);
        BigInteger h = q.negate().mod(p).modInverse(p);
        return l.multiply(h).mod(p);
    }
}
