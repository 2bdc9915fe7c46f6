package org.fedai.fl.sim;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.fedai.fl.Checkpoint;
import org.fedai.fl.PlainUpdate;
import org.fedai.fl.Rejection;
import org.fedai.fl.UpdateInbox;
import org.fedai.fl.aggregation.RuleRegistry;
import org.fedai.fl.aggregation.Failure;
import org.fedai.fl.aggregation.WeightedUpdate;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.data.MnistLoader;
import org.fedai.fl.data.Partition;
import org.fedai.fl.model.LocalTrainer;
import org.fedai.fl.model.LogisticRegression;
import org.fedai.fl.model.Mlp;
import org.fedai.fl.model.Model;
import org.fedai.fl.model.Vectors;
import org.fedai.fl.round.Aggregation;
import org.fedai.fl.round.RuleStrategy;
import org.fedai.fl.round.SecureOutcome;
import org.fedai.fl.round.SecureRoundDriver;

/**
 * An in-process federation: clients train on their shards, attackers poison, some vanish, updates
 * are aggregated in the clear or through secure groups, a robust rule combines them, and the global
 * model is evaluated on the held-out test set after every round.
 */
public final class FlSimulator {

    public record RoundReport(int round, double accuracy, int used, int excluded, int failures, long millis,
                              String checkpointSha256, List<String> notes) {
    }

    public record Result(List<RoundReport> rounds, double finalAccuracy, int parameters,
                         Map<Rejection.Reason, Integer> rejections, long messages, long payloadBytes) {
    }

    private FlSimulator() {
    }

    public static Result run(SimulationConfig cfg, Dataset all, Consumer<RoundReport> listener) {
        return run(cfg, all, listener, InProcessTransport::new);
    }

    /** As above, each secure group of each round carried by a fresh transport from {@code transports}. */
    public static Result run(SimulationConfig cfg, Dataset all, Consumer<RoundReport> listener,
                             Supplier<? extends RoundTransport> transports) {
        return run(cfg, all, listener, transports, new MaskingSum());
    }

    /** As above, secure groups summed by the given privacy mode (masking or Paillier). */
    public static Result run(SimulationConfig cfg, Dataset all, Consumer<RoundReport> listener,
                             Supplier<? extends RoundTransport> transports, SecureSum privacy) {
        int[] order = shuffled(all.size(), new Random(cfg.seed()));
        Dataset root = all.select(Arrays.copyOfRange(order, 0, cfg.rootSize()));
        Dataset pool = all.select(Arrays.copyOfRange(order, cfg.rootSize(), order.length));
        Partition part = cfg.nonIid()
                ? Partition.twoShardsPerClient(pool, cfg.clients(), cfg.testSize(), cfg.seed())
                : Partition.iid(pool, cfg.clients(), cfg.testSize(), cfg.seed());
        List<String> names = IntStream.range(0, cfg.clients()).mapToObj(i -> String.format("client-%03d", i)).toList();
        Set<String> attackers = new HashSet<>();
        int[] pick = shuffled(cfg.clients(), new Random(cfg.seed() ^ 0x5eed));
        for (int i = 0; i < cfg.attackers(); i++) {
            attackers.add(names.get(pick[i]));
        }
        List<Dataset> data = new ArrayList<>();
        for (int i = 0; i < cfg.clients(); i++) {
            Dataset d = part.clients().get(i);
            data.add(attackers.contains(names.get(i)) && cfg.attack().poisonsData() ? d.withFlippedLabels(MnistLoader.CLASSES) : d);
        }
        Model global = switch (cfg.model()) {
            case LOGREG -> new LogisticRegression(MnistLoader.PIXELS, MnistLoader.CLASSES);
            case MLP -> Mlp.initialised(MnistLoader.PIXELS, cfg.hidden(), MnistLoader.CLASSES, cfg.seed());
        };
        Model template = global;
        RuleStrategy strategy = new RuleStrategy(cfg.aggregation(), new RuleRegistry.Trust.RootUpdate(g -> {
            Model m = template.copy();
            m.setParameters(g);
            return LocalTrainer.train(m, root, cfg.training(), new Random(cfg.seed() ^ Arrays.hashCode(g))).delta();
        }), RuleRegistry.code(cfg.aggregation()) == RuleRegistry.Code.FEDAVG ? 0 : cfg.groupSize(), null);
        boolean robust = strategy.robust(); // FedAvg is the undefended baseline: one secure sum, no server-side clipping
        int maxSamples = data.stream().mapToInt(Dataset::size).max().orElse(1);
        SecureRoundDriver driver = new SecureRoundDriver(strategy, new SecureRoundDriver.Scale(cfg.training().clipNorm(), maxSamples));
        int d = global.parameterCount();
        Map<Rejection.Reason, Integer> rejections = new EnumMap<>(Rejection.Reason.class);
        long messages = 0;
        long payload = 0;
        SecureRandom secure = new SecureRandom();
        List<RoundReport> reports = new ArrayList<>();
        for (int round = 1; round <= cfg.rounds(); round++) {
            long start = System.nanoTime();
            Random rnd = new Random(cfg.seed() * 1_000_003L + round);
            Set<String> dropped = new HashSet<>();
            int[] dropOrder = shuffled(cfg.clients(), rnd);
            for (int i = 0; i < Math.round(cfg.dropoutFraction() * cfg.clients()); i++) {
                dropped.add(names.get(dropOrder[i]));
            }
            final int r = round;
            final Model g = global;
            double[][] deltas = new double[cfg.clients()][];
            IntStream.range(0, cfg.clients()).parallel().filter(i -> !dropped.contains(names.get(i))).forEach(i -> {
                Random local = new Random(cfg.seed() * 7919L + r * 104_729L + i);
                double[] delta = LocalTrainer.train(g, data.get(i), cfg.training(), local).delta();
                deltas[i] = attackers.contains(names.get(i)) ? cfg.attack().apply(delta, local) : delta;
            });
            List<WeightedUpdate> results = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            if (!cfg.secure()) {
                UpdateInbox inbox = new UpdateInbox(round, new HashSet<>(names), d);
                for (int i = 0; i < cfg.clients(); i++) {
                    if (deltas[i] == null) {
                        failures.add(new Failure(names.get(i), "dropped out"));
                        continue;
                    }
                    inbox.offer(new PlainUpdate(round, names.get(i), deltas[i], data.get(i).size()))
                            .ifPresent(x -> failures.add(new Failure(x.detail(), x.reason().name())));
                }
                inbox.rejectionCounts().forEach((k, v) -> rejections.merge(k, v, Integer::sum));
                for (PlainUpdate u : inbox.accepted()) {
                    double[] delta = u.delta().clone();
                    if (robust) {
                        Vectors.clipInPlace(delta, cfg.training().clipNorm()); // the server enforces the norm bound it can see
                    }
                    results.add(new WeightedUpdate(u.from(), delta, u.samples()));
                }
            } else {
                // drawn after the dropouts from the same stream: a seed of its own that equals rnd's would deal the
                // groups in the very order the dropouts were picked, so the dropped would never share a group
                List<SecureRoundDriver.Group> groups = driver.groups("sim-" + cfg.seed(), round, names, d + 1,
                        cfg.dropoutFraction(), rnd.nextLong());
                Map<String, double[]> inputs = new java.util.concurrent.ConcurrentHashMap<>();
                names.parallelStream().forEach(p -> { // each client prepares its own input
                    int i = names.indexOf(p);
                    if (deltas[i] == null) {
                        return; // vanished before it could send
                    }
                    // the secure client pipeline clips before it quantizes: an attacker poisons the
                    // update it feeds in, but its contribution to the group sum obeys the norm bound
                    double[] bounded = deltas[i].clone();
                    if (!(cfg.attackersSkipClipping() && attackers.contains(p))) {
                        Vectors.clipInPlace(bounded, cfg.training().clipNorm());
                    }
                    inputs.put(p, SecureRoundDriver.weighted(driver.scale(), bounded, data.get(i).size()));
                });
                SecureSum.Sums sums = privacy.sumAll(round, groups, inputs, dropped, cfg.training().clipNorm(),
                        cfg.dropoutFraction(), transports.get(), secure);
                messages += sums.messages();
                payload += sums.bytes();
                SecureOutcome out = driver.combine(groups, sums.sums(), global.parameters());
                int failed = out.unusable().size();
                List<String> notes = new ArrayList<>();
                out.aggregation().excluded().forEach((who, why) -> notes.add(who + (out.unusable().contains(who) ? " failed: "
                        : " excluded: ") + why));
                global.setParameters(out.parameters());
                reports.add(report(round, start, global, part.test(), out.aggregation().used().size(),
                        out.aggregation().excluded().size() - failed, failed, notes, listener));
                continue;
            }
            int excluded = 0;
            int used = 0;
            List<String> notes = new ArrayList<>();
            failures.forEach(f -> notes.add(f.source() + " failed: " + f.reason()));
            if (!results.isEmpty()) {
                Aggregation agg = strategy.aggregate(results, failures, global.parameters());
                global.setParameters(agg.parameters());
                excluded = agg.excluded().size();
                agg.excluded().forEach((who, why) -> notes.add(who + " excluded: " + why));
                used = agg.used().size();
            }
            reports.add(report(round, start, global, part.test(), used, excluded, failures.size(), notes, listener));
        }
        return new Result(List.copyOf(reports), reports.getLast().accuracy(), d, Map.copyOf(rejections),
                messages, payload);
    }

    private static RoundReport report(int round, long start, Model global, Dataset test, int used, int excluded, int failures,
                                      List<String> notes, Consumer<RoundReport> listener) {
        RoundReport rep = new RoundReport(round, LocalTrainer.accuracy(global, test), used, excluded, failures,
                (System.nanoTime() - start) / 1_000_000, Checkpoint.of(round, global.parameters()).sha256(), List.copyOf(notes));
        listener.accept(rep);
        return rep;
    }

    static int[] shuffled(int n, Random random) {
        int[] a = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
