package org.fedai.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.fedai.fl.he.EncryptedSum;
import org.fedai.fl.he.HeConfig;
import org.fedai.fl.he.PackedCiphertext;
import org.fedai.fl.he.PaillierAggregator;
import org.fedai.fl.he.PaillierClient;
import org.fedai.fl.he.PaillierKeyHolder;
import org.fedai.fl.he.PaillierKeyPair;
import org.fedai.fl.sim.InProcessTransport;
import org.fedai.fl.sim.MaskingSum;
import org.fedai.fl.sim.PaillierSum;
import org.fedai.fl.sim.SecureSum;

/**
 * The same phases as {@link PrivacyModeBenchmark}, timed in CPU time rather than wall time: on a shared
 * machine other processes stretch wall time, not the CPU a phase uses. Single-threaded phases use the
 * thread's CPU time; whole secure sums (parallel inside) use the process's. Median and range over reps.
 *
 * <p>Usage: {@code java -cp ... org.fedai.bench.PrivacyModeCost [length] [modulusBits] [reps] clients...}
 */
public final class PrivacyModeCost {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private PrivacyModeCost() {
    }

    public static void main(String[] args) {
        int length = args.length > 0 ? Integer.parseInt(args[0]) : 7851;
        int bits = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<Integer> counts = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            counts.add(Integer.parseInt(args[i]));
        }
        if (counts.isEmpty()) {
            counts = List.of(5, 10, 20);
        }
        SecureRandom random = new SecureRandom();
        PaillierKeyPair keys = PaillierKeyPair.generate(bits, random);
        System.out.printf(Locale.ROOT, "%d values, %d-bit n, %d reps after 1 warm-up, %d cores, load %.2f%n", length, bits, reps,
                Runtime.getRuntime().availableProcessors(), OS.getSystemLoadAverage());
        System.out.println("| clients | slot bits | blocks/client | ciphertext B/client | masked B/client | phase | CPU ms median | CPU ms min-max | wall ms median |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int n : counts) {
            List<String> roster = new ArrayList<>();
            Map<String, double[]> inputs = new HashMap<>();
            Random rnd = new Random(n);
            for (int i = 0; i < n; i++) {
                String name = String.format("client-%03d", i);
                roster.add(name);
                inputs.put(name, rnd.doubles(length, -0.02, 0.02).toArray());
            }
            HeConfig cfg = new HeConfig(1, keys.publicKey(), roster, 1.0, HeConfig.DEFAULT_VALUE_BITS, n, 2, length);
            List<PackedCiphertext> cts = new ArrayList<>();
            for (String p : roster) {
                cts.add(PaillierClient.encrypt(cfg, inputs.get(p), random));
            }
            Supplier<EncryptedSum> aggregate = () -> {
                PaillierAggregator agg = new PaillierAggregator(cfg);
                for (int i = 0; i < n; i++) {
                    agg.accept(roster.get(i), cts.get(i));
                }
                return agg.sum().orElseThrow();
            };
            EncryptedSum product = aggregate.get();
            SecureSum.Group group = new SecureSum.Group("cost", 1, roster, inputs, Set.of(), 1.0, length, 0, 7);
            PaillierSum paillier = new PaillierSum(keys, HeConfig.DEFAULT_VALUE_BITS);
            String head = String.format(Locale.ROOT, "| %d | %d | %d | %d | %d |", n, cfg.packing().slotBits(), cfg.blocks(),
                    cts.getFirst().bytes(keys.publicKey()), 4L * length);
            row(head, "Paillier: encrypt one client (1 thread)", reps, true,
                    () -> PaillierClient.encrypt(cfg, inputs.get(roster.getFirst()), random));
            row(head, "Paillier: aggregate all (1 thread)", reps, true, aggregate::get);
            row(head, "Paillier: decrypt the sum (parallel)", reps, false,
                    () -> new PaillierKeyHolder(keys.privateKey(), cfg).open(product));
            row(head, "Paillier: whole secure sum (parallel)", reps, false,
                    () -> paillier.sum(group, new InProcessTransport(), random));
            row(head, "masking: whole secure sum (parallel)", reps, false,
                    () -> new MaskingSum().sum(group, new InProcessTransport(), random));
            row(head, "plain: sum the vectors (1 thread)", reps, true, () -> {
                double[] sum = new double[length];
                for (double[] x : inputs.values()) {
                    for (int i = 0; i < length; i++) {
                        sum[i] += x[i];
                    }
                }
                return sum;
            });
        }
    }

    private static void row(String head, String phase, int reps, boolean thread, Supplier<?> op) {
        op.get(); // warm-up (JIT)
        List<Double> cpu = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            long c0 = thread ? THREADS.getCurrentThreadCpuTime() : OS.getProcessCpuTime();
            long w0 = System.nanoTime();
            op.get();
            wall.add((System.nanoTime() - w0) / 1e6);
            cpu.add(((thread ? THREADS.getCurrentThreadCpuTime() : OS.getProcessCpuTime()) - c0) / 1e6);
        }
        cpu.sort(null);
        wall.sort(null);
        System.out.printf(Locale.ROOT, "%s %s | %.1f | %.1f-%.1f | %.1f |%n", head, phase, cpu.get(reps / 2), cpu.getFirst(),
                cpu.getLast(), wall.get(reps / 2));
    }
}
