package org.fedai.fl.he;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedai.fl.Rejection;
import org.fedai.fl.Rejection.Reason;

/**
 * The aggregator's side: multiplies ciphertexts as they arrive (a running product per block, so memory
 * stays at one update) and hands the product to the key holder. It holds no private key and learns
 * nothing from the ciphertexts (semantic security under the decisional composite residuosity assumption).
 * Every refused input comes back as a {@link Rejection} and is counted; none throws.
 */
public final class PaillierAggregator {

    private final HeConfig cfg;
    private final BigInteger nSquared;
    private final Set<String> contributors = new LinkedHashSet<>();
    private final Map<Reason, Integer> rejections = new EnumMap<>(Reason.class);
    private BigInteger[] product;

    public PaillierAggregator(HeConfig cfg) {
        this.cfg = cfg;
        this.nSquared = cfg.key().nSquared();
    }

    public synchronized Optional<Rejection> accept(String from, PackedCiphertext c) {
        Optional<Rejection> refusal = check(from, c);
        refusal.ifPresentOrElse(r -> rejections.merge(r.reason(), 1, Integer::sum), () -> {
            contributors.add(from);
            if (product == null) {
                product = c.blocks().toArray(BigInteger[]::new);
            } else {
                for (int b = 0; b < product.length; b++) {
                    product[b] = product[b].multiply(c.blocks().get(b)).mod(nSquared);
                }
            }
        });
        return refusal;
    }

    private Optional<Rejection> check(String from, PackedCiphertext c) {
        if (!cfg.roster().contains(from)) {
            return Optional.of(Rejection.of(Reason.NOT_ENROLLED, from + " is not on the roster"));
        }
        if (c.round() != cfg.round()) {
            return Optional.of(Rejection.of(Reason.WRONG_ROUND, from + " sent round " + c.round() + ", this is " + cfg.round()));
        }
        if (contributors.contains(from)) {
            return Optional.of(Rejection.of(Reason.DUPLICATE, from + " already contributed"));
        }
        if (c.blocks().size() != cfg.blocks()) {
            return Optional.of(Rejection.of(Reason.WRONG_LENGTH, c.blocks().size() + " blocks, expected " + cfg.blocks()));
        }
        if (contributors.size() >= cfg.maxParticipants()) {
            return Optional.of(overCapacity(contributors.size() + 1, cfg));
        }
        if (!cfg.key().areCiphertexts(c.blocks())) {
            return Optional.of(Rejection.of(Reason.MALFORMED, from + " sent a block that is not a unit mod n^2"));
        }
        return Optional.empty();
    }

    static Rejection overCapacity(int count, HeConfig cfg) {
        return Rejection.of(Reason.OVER_CAPACITY, count + " contributions exceed the declared N = " + cfg.maxParticipants()
                + ": " + cfg.packing().slotBits() + "-bit slots hold the sum of at most N " + cfg.valueBits() + "-bit values");
    }

    /** The encrypted sum of everyone accepted so far; empty before the first input. */
    public synchronized Optional<EncryptedSum> sum() {
        if (product == null) {
            return Optional.empty();
        }
        return Optional.of(new EncryptedSum(new ArrayList<>(contributors), new PackedCiphertext(cfg.round(), List.of(product))));
    }

    public synchronized Map<Reason, Integer> rejectionCounts() {
        return Map.copyOf(rejections);
    }
}
