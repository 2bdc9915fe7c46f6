package org.fedai.fl.he;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.stream.IntStream;
import org.fedai.fl.Rejection;
import org.fedai.fl.Rejection.Reason;

/**
 * The one party that can decrypt: in fedai, the task's validation node (or a key holder the 31410 task
 * names), never the aggregator. It generates the key pair, publishes the public key, receives only
 * aggregate ciphertexts (individual updates travel to the aggregator, sealed to it, so the key holder
 * never sees one) and publishes the decrypted sum.
 *
 * <p>Trust assumption: the aggregator and the key holder do not collude; together they could decrypt
 * any single update. Masking (SecAgg+) needs no such pair: the aggregator alone learns only sums unless
 * it colludes with a threshold of a client's neighbours. To blunt a curious aggregator acting alone,
 * the key holder opens at most one aggregate per round (two would let the aggregator difference a
 * client out) and none of fewer than {@code minContributors} inputs. It cannot tell a genuine product
 * from one ciphertext relabelled as many; that is what the non-collusion assumption covers.
 */
public final class PaillierKeyHolder {

    private final PaillierPrivateKey key;
    private final HeConfig cfg;
    private boolean opened;

    public PaillierKeyHolder(PaillierPrivateKey key, HeConfig cfg) {
        if (!key.publicKey().equals(cfg.key())) {
            throw new IllegalArgumentException("the round's public key is not this key holder's");
        }
        this.key = key;
        this.cfg = cfg;
    }

    public synchronized HeOutcome open(EncryptedSum s) {
        int count = s.contributors().size();
        if (s.sum().round() != cfg.round()) {
            return refuse(Reason.WRONG_ROUND, "aggregate of round " + s.sum().round() + ", this is " + cfg.round());
        }
        if (opened) {
            return refuse(Reason.DUPLICATE, "round " + cfg.round() + " was already decrypted once");
        }
        if (new HashSet<>(s.contributors()).size() != count || !cfg.roster().containsAll(s.contributors())) {
            return refuse(Reason.NOT_ENROLLED, "contributors must be distinct members of the roster");
        }
        if (count > cfg.maxParticipants()) {
            return new HeOutcome.Refused(PaillierAggregator.overCapacity(count, cfg));
        }
        if (count < cfg.minContributors()) {
            return refuse(Reason.TOO_FEW_CONTRIBUTORS, count + " contributions, the key holder opens no sum of fewer than "
                    + cfg.minContributors());
        }
        if (s.sum().blocks().size() != cfg.blocks() || !cfg.key().areCiphertexts(s.sum().blocks())) {
            return refuse(Reason.MALFORMED, "not " + cfg.blocks() + " ciphertexts under the round's key");
        }
        opened = true;
        BigInteger[] plain = IntStream.range(0, cfg.blocks()).parallel()
                .mapToObj(b -> key.decrypt(s.sum().blocks().get(b))).toArray(BigInteger[]::new);
        SlotPacking packing = cfg.packing();
        long[] levels;
        try {
            levels = packing.unpack(plain, cfg.vectorLength());
        } catch (IllegalArgumentException overflow) {
            return refuse(Reason.MALFORMED, "the decrypted sum does not fit its slots: " + overflow.getMessage());
        }
        long ceiling = count * packing.maxValue();
        for (int i = 0; i < levels.length; i++) {
            if (levels[i] > ceiling) { // only an input outside 0..2^k - 1 (a cheating client) gets here
                return refuse(Reason.MALFORMED, "coordinate " + i + " sums to " + levels[i] + ", above " + count + " x " + packing.maxValue());
            }
        }
        double step = cfg.quantizer().step();
        double[] values = new double[levels.length];
        for (int i = 0; i < levels.length; i++) {
            values[i] = levels[i] * step - count * cfg.range();
        }
        return new HeOutcome.Sum(values, levels, s.contributors());
    }

    private static HeOutcome refuse(Reason reason, String detail) {
        return new HeOutcome.Refused(Rejection.of(reason, detail));
    }
}
