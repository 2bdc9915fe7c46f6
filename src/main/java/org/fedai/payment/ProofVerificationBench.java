package org.fedai.payment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Secp256k1Keys;
import org.fedai.nostr.Sha256;
import org.fedai.store.PaymentHashRegistry;
import org.fedai.store.SqlitePaymentHashRegistry;

/**
 * A quick, JMH-free measure of payment proofs verified per second on one thread: distinct
 * invoices signed up front, then verified against three registries (a hash set: the crypto and
 * decoding alone; SQLite in memory; SQLite on disk with fsync per proof). Run:
 * {@code java -cp <classpath> org.fedai.payment.ProofVerificationBench [proofs]}; a future
 * {@code fedai bench proofs} can call {@link #run(int)}.
 */
public final class ProofVerificationBench {

    /** One measured configuration. */
    public record Measurement(String registry, int proofs, double proofsPerSecond) {
    }

    private ProofVerificationBench() {
    }

    public static void main(String[] args) {
        int proofs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        System.out.printf("payment proof verification, 1 thread, %s, %d available processors%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        for (Measurement m : run(proofs)) {
            System.out.printf("%-28s %8d proofs %12.0f proofs/s%n", m.registry(), m.proofs(), m.proofsPerSecond());
        }
    }

    public static List<Measurement> run(int proofs) {
        byte[] nodeKey = Secp256k1Keys.generateSecretKey();
        JobBinding job = new JobBinding("d".repeat(64));
        long now = System.currentTimeMillis() / 1000;
        PaymentExpectation expected = PaymentExpectation.forJob(Hex.encode(Bolt11Codec.nodeId(nodeKey)), 21_000,
                Bolt11Network.REGTEST, job);
        List<Measurement> out = new ArrayList<>();
        // warm-up on its own invoices, so the measured runs see fresh hashes
        measure("warm-up", proofs / 2, nodeKey, job, now, expected, new SetRegistry());
        out.add(measure("hash set (crypto only)", proofs, nodeKey, job, now, expected, new SetRegistry()));
        try (SqlitePaymentHashRegistry memory = SqlitePaymentHashRegistry.inMemory()) {
            out.add(measure("SQLite in memory", proofs, nodeKey, job, now, expected, memory));
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("fedai-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (SqlitePaymentHashRegistry disk = SqlitePaymentHashRegistry.open(dir.resolve("spent.db"))) {
            out.add(measure("SQLite file, fsync each", Math.max(100, proofs / 20), nodeKey, job, now, expected, disk));
        }
        return out;
    }

    private static Measurement measure(String label, int proofs, byte[] nodeKey, JobBinding job, long now,
                                       PaymentExpectation expected, PaymentHashRegistry registry) {
        String[] invoices = new String[proofs];
        byte[][] preimages = new byte[proofs][];
        for (int i = 0; i < proofs; i++) {
            preimages[i] = Secp256k1Keys.generateSecretKey();
            invoices[i] = Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.of(21_000), now, List.of(
                    new TaggedField.PaymentHash(Sha256.hash(preimages[i])), new TaggedField.PaymentSecret(preimages[i]),
                    new TaggedField.DescriptionHash(job.descriptionHash()), new TaggedField.Expiry(600),
                    TaggedField.Features.of(8, 14)), nodeKey).encode();
        }
        PaymentProofVerifier verifier = new PaymentProofVerifier(registry, Duration.ofSeconds(30));
        long start = System.nanoTime();
        for (int i = 0; i < proofs; i++) {
            if (!(verifier.verify(expected, invoices[i], preimages[i], now) instanceof ProofResult.Verified)) {
                throw new IllegalStateException("bench proof " + i + " was rejected");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Measurement(label, proofs, proofs / seconds);
    }

    /** The cheapest possible registry, to isolate decoding and crypto. */
    private static final class SetRegistry implements PaymentHashRegistry {
        private final Set<String> spent = ConcurrentHashMap.newKeySet();

        @Override
        public boolean markSpent(byte[] paymentHash, long spentAtEpochSeconds, String context) {
            return spent.add(Hex.encode(paymentHash));
        }

        @Override
        public boolean isSpent(byte[] paymentHash) {
            return spent.contains(Hex.encode(paymentHash));
        }

        @Override
        public void close() {
        }
    }
}
