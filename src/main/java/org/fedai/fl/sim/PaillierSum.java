package org.fedai.fl.sim;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.fl.he.EncryptedSum;
import org.fedai.fl.he.HeConfig;
import org.fedai.fl.he.HeOutcome;
import org.fedai.fl.he.PackedCiphertext;
import org.fedai.fl.he.PaillierAggregator;
import org.fedai.fl.he.PaillierClient;
import org.fedai.fl.he.PaillierKeyHolder;
import org.fedai.fl.he.PaillierKeyPair;

/**
 * Packed Paillier over the group: each member encrypts its quantized vector under the key holder's
 * public key and sends it (sealed) to the aggregator, which multiplies the ciphertexts; the key holder
 * (the validation node; one key pair per task, generated here once) decrypts only that product.
 * A member that vanishes simply never contributes: no recovery round, no threshold of neighbours.
 *
 * <p>The messages are not {@link org.fedai.fl.secagg.SecAggMessage}s, so they bypass the transport's
 * carry() (this mode runs in process only) but honour its vanish list and are counted in the outcome:
 * one ciphertext per member, the product to the key holder, the decrypted sum (8 bytes per value) back.
 */
public final class PaillierSum implements SecureSum {

    private final PaillierKeyPair keys;
    private final int valueBits;

    public PaillierSum(PaillierKeyPair keys, int valueBits) {
        this.keys = keys;
        this.valueBits = valueBits;
    }

    public static PaillierSum withFreshKey(int modulusBits, int valueBits, SecureRandom random) {
        return new PaillierSum(PaillierKeyPair.generate(modulusBits, random), valueBits);
    }

    @Override
    public String name() {
        return "paillier";
    }

    public org.fedai.fl.he.PaillierPublicKey publicKey() {
        return keys.publicKey();
    }

    public int modulusBits() {
        return keys.publicKey().n().bitLength();
    }

    @Override
    public Outcome sum(Group g, RoundTransport transport, SecureRandom random) {
        int members = g.members().size();
        HeConfig cfg = new HeConfig(g.round(), keys.publicKey(), g.members(), g.range(), valueBits, members,
                Math.min(2, members), g.vectorLength());
        PaillierAggregator aggregator = new PaillierAggregator(cfg);
        Map<String, PackedCiphertext> sent = new ConcurrentHashMap<>();
        g.members().parallelStream().forEach(p -> { // each client encrypts on its own machine
            double[] x = g.inputs().get(p);
            if (x != null && !g.vanish().contains(p) && !transport.hasVanished(p)) {
                sent.put(p, PaillierClient.encrypt(cfg, x, random));
            }
        });
        long messages = 0;
        long bytes = 0;
        for (String p : g.members()) { // roster order, so the product and its contributor list are deterministic
            PackedCiphertext c = sent.get(p);
            if (c != null) {
                messages++;
                bytes += c.bytes(keys.publicKey());
                aggregator.accept(p, c);
            }
        }
        var product = aggregator.sum();
        if (product.isEmpty()) {
            return new Outcome.Aborted("no member sent an update", messages, bytes);
        }
        EncryptedSum s = product.get();
        messages += 2;
        bytes += s.sum().bytes(keys.publicKey()) + 8L * g.vectorLength();
        HeOutcome opened = new PaillierKeyHolder(keys.privateKey(), cfg).open(s);
        return switch (opened) {
            case HeOutcome.Refused r -> new Outcome.Aborted("key holder refused: " + r.rejection(), messages, bytes);
            case HeOutcome.Sum sum -> new Outcome.Sum(sum.values(), new ArrayList<>(sum.contributors()), messages, bytes);
        };
    }

    /** For reporting: bytes of one member's ciphertext of a vector of this length with a group of this size. */
    public long ciphertextBytes(int vectorLength, int groupSize) {
        HeConfig cfg = new HeConfig(0, keys.publicKey(), List.of(), 1, valueBits, groupSize, Math.min(2, groupSize), vectorLength);
        return (long) cfg.blocks() * keys.publicKey().ciphertextBytes();
    }
}
