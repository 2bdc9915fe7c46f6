package org.fedai.bench;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.fedai.fl.he.EncryptedSum;
import org.fedai.fl.he.HeConfig;
import org.fedai.fl.he.HeOutcome;
import org.fedai.fl.he.PackedCiphertext;
import org.fedai.fl.he.PaillierAggregator;
import org.fedai.fl.he.PaillierClient;
import org.fedai.fl.he.PaillierKeyHolder;
import org.fedai.fl.he.PaillierKeyPair;
import org.fedai.fl.sim.InProcessTransport;
import org.fedai.fl.sim.MaskingSum;
import org.fedai.fl.sim.PaillierSum;
import org.fedai.fl.sim.SecureSum;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The secure-sum step of one round, per privacy mode, for a small model: multinomial logistic regression
 * on MNIST, 7850 parameters plus the weight word. Phases of packed Paillier one by one (one client's
 * encryption on one core; with its randomizers r^n precomputed, the online part alone; the aggregator's
 * product of all ciphertexts; the key holder's CRT decryption, parallel over blocks), and whole rounds
 * of every mode for all clients (parallel over the machine's cores, as the simulator runs them).
 * Training is not included: {@code fedai fl bench} measures whole rounds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class PrivacyModeBenchmark {

    @Param({"5", "10", "20"})
    int clients;

    @Param({"7851"})
    int length;

    @Param({"2048"})
    int modulusBits;

    private final SecureRandom random = new SecureRandom();
    private PaillierKeyPair keys;
    private HeConfig cfg;
    private List<String> roster;
    private Map<String, double[]> inputs;
    private List<PackedCiphertext> ciphertexts;
    private BigInteger[] packedFirst;
    private BigInteger[] randomizersFirst;
    private EncryptedSum product;
    private PaillierSum paillier;
    private SecureSum.Group group;

    @Setup(Level.Trial)
    public void setUp() {
        keys = PaillierKeyPair.generate(modulusBits, random);
        roster = new ArrayList<>();
        inputs = new HashMap<>();
        Random rnd = new Random(1);
        for (int i = 0; i < clients; i++) {
            String name = String.format("client-%03d", i);
            roster.add(name);
            inputs.put(name, rnd.doubles(length, -0.02, 0.02).toArray()); // clipped updates are small per coordinate
        }
        cfg = new HeConfig(1, keys.publicKey(), roster, 1.0, HeConfig.DEFAULT_VALUE_BITS, clients, 2, length);
        ciphertexts = new ArrayList<>();
        PaillierAggregator agg = new PaillierAggregator(cfg);
        for (String p : roster) {
            PackedCiphertext c = PaillierClient.encrypt(cfg, inputs.get(p), random);
            ciphertexts.add(c);
            agg.accept(p, c);
        }
        product = agg.sum().orElseThrow();
        long[] levels = java.util.Arrays.stream(cfg.quantizer().encode(inputs.get(roster.getFirst())))
                .mapToLong(Integer::toUnsignedLong).toArray();
        packedFirst = cfg.packing().pack(levels);
        randomizersFirst = new BigInteger[packedFirst.length];
        for (int b = 0; b < packedFirst.length; b++) {
            randomizersFirst[b] = keys.publicKey().randomizer(random);
        }
        paillier = new PaillierSum(keys, HeConfig.DEFAULT_VALUE_BITS);
        group = new SecureSum.Group("bench", 1, roster, inputs, Set.of(), 1.0, length, 0, 7);
        System.out.printf("%n[%d clients, %d values, %d-bit n: %d-bit slots, %d per block, %d blocks = %d bytes per client; "
                        + "masking sends %d bytes of masked words]%n", clients, length, modulusBits, cfg.packing().slotBits(),
                cfg.packing().slotsPerBlock(), cfg.blocks(), ciphertexts.getFirst().bytes(keys.publicKey()), 4L * length);
    }

    @Benchmark
    public PackedCiphertext paillierEncryptOneClient() {
        return PaillierClient.encrypt(cfg, inputs.get(roster.getFirst()), random);
    }

    /** Encryption once r^n is ready: (1 + m*n) * r^n mod n^2 per block, the part that waits for the update. */
    @Benchmark
    public BigInteger[] paillierEncryptOnlineOneClient() {
        BigInteger[] out = new BigInteger[packedFirst.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = keys.publicKey().encrypt(packedFirst[b], randomizersFirst[b]);
        }
        return out;
    }

    @Benchmark
    public EncryptedSum paillierAggregate() {
        PaillierAggregator agg = new PaillierAggregator(cfg);
        for (int i = 0; i < roster.size(); i++) {
            agg.accept(roster.get(i), ciphertexts.get(i));
        }
        return agg.sum().orElseThrow();
    }

    @Benchmark
    public HeOutcome paillierDecrypt() {
        return new PaillierKeyHolder(keys.privateKey(), cfg).open(product);
    }

    @Benchmark
    public SecureSum.Outcome paillierRound() {
        return paillier.sum(group, new InProcessTransport(), random);
    }

    @Benchmark
    public SecureSum.Outcome maskingRound() {
        return new MaskingSum().sum(group, new InProcessTransport(), random);
    }

    /** What a plain FedAvg aggregator does instead: add the vectors. */
    @Benchmark
    public double[] plainRound() {
        double[] sum = new double[length];
        for (String p : roster) {
            double[] x = inputs.get(p);
            for (int i = 0; i < length; i++) {
                sum[i] += x[i];
            }
        }
        return sum;
    }
}
