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
import org.fedai.fl.aggregation.Aggregate;
import org.fedai.fl.aggregation.AggregationRule;
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
        AggregationRule rule = Rules.named(cfg.aggregation(), root, cfg.training(), global, cfg.seed());
        boolean robust = !"fedavg".equals(rule.name());
        int maxSamples = data.stream().mapToInt(Dataset::size).max().orElse(1);
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
                List<List<String>> groups = groups(names, robust ? cfg.groupSize() : 0, rnd);
                for (int k = 0; k < groups.size(); k++) {
                    List<String> group = groups.get(k);
                    Map<String, double[]> inputs = new java.util.concurrent.ConcurrentHashMap<>();
                    group.parallelStream().forEach(p -> { // each client prepares its own input
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
                        inputs.put(p, weighted(bounded, data.get(i).size(), maxSamples, cfg.training().clipNorm()));
                    });
                    Set<String> vanish = new HashSet<>(group);
                    vanish.retainAll(dropped);
                    SecureSum.Group sg = new SecureSum.Group("sim-" + cfg.seed() + "-g" + k, round, group, inputs, vanish,
                            cfg.training().clipNorm(), d + 1, cfg.dropoutFraction(), rnd.nextLong());
                    SecureSum.Outcome out = privacy.sum(sg, transports.get(), secure);
                    messages += out.messages();
                    payload += out.bytes();
                    String gid = "group-" + k;
                    switch (out) {
                        case SecureSum.Outcome.Aborted a -> failures.add(new Failure(gid, "secure aggregation (" + privacy.name() + ") aborted: " + a.reason()));
                        case SecureSum.Outcome.Sum s -> {
                            double[] sum = s.values();
                            double weight = sum[d] / cfg.training().clipNorm();
                            if (!(weight > 0)) {
                                failures.add(new Failure(gid, "group weight " + weight));
                                continue;
                            }
                            double[] mean = new double[d];
                            for (int j = 0; j < d; j++) {
                                mean[j] = sum[j] / weight;
                            }
                            if (robust) {
                                Vectors.clipInPlace(mean, cfg.training().clipNorm()); // a mean of clipped honest updates obeys the bound
                            }
                            results.add(new WeightedUpdate(gid, mean, weight * maxSamples));
                        }
                    }
                }
            }
            int excluded = 0;
            int used = 0;
            List<String> notes = new ArrayList<>();
            failures.forEach(f -> notes.add(f.source() + " failed: " + f.reason()));
            if (!results.isEmpty()) {
                Aggregate agg = rule.aggregate(results, failures, global.parameters());
                double[] p = global.parameters();
                Vectors.addScaledInPlace(p, agg.delta(), 1.0);
                global.setParameters(p);
                excluded = agg.excluded().size();
                agg.excluded().forEach((who, why) -> notes.add(who + " excluded: " + why));
                used = agg.used().size();
            }
            double acc = LocalTrainer.accuracy(global, part.test());
            Checkpoint cp = Checkpoint.of(round, global.parameters());
            RoundReport rep = new RoundReport(round, acc, used, excluded, failures.size(),
                    (System.nanoTime() - start) / 1_000_000, cp.sha256(), List.copyOf(notes));
            reports.add(rep);
            listener.accept(rep);
        }
        return new Result(List.copyOf(reports), reports.getLast().accuracy(), d, Map.copyOf(rejections),
                messages, payload);
    }

    /** [w*delta, w*C] with w = samples / maxSamples: the sum then carries both the weighted update and the total weight. */
    static double[] weighted(double[] delta, int samples, int maxSamples, double range) {
        double w = (double) samples / maxSamples;
        double[] v = new double[delta.length + 1];
        for (int j = 0; j < delta.length; j++) {
            v[j] = w * delta[j];
        }
        v[delta.length] = w * range;
        return v;
    }

    /** Random groups of size >= groupSize (the remainder spread over the first groups); 0 = one group. */
    static List<List<String>> groups(List<String> names, int groupSize, Random rnd) {
        if (groupSize == 0 || groupSize >= names.size()) {
            return List.of(names);
        }
        int[] order = shuffled(names.size(), rnd);
        int count = names.size() / groupSize;
        List<List<String>> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < order.length; i++) {
            out.get(i % count).add(names.get(order[i]));
        }
        return out;
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
