package org.fedai.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.model.TrainingConfig;
import org.fedai.fl.sim.Attack;
import org.fedai.fl.sim.FlSimulator;
import org.fedai.fl.sim.SimulationConfig;
import org.fedai.fl.sim.TrainingCurvePlot;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.roles.fl.RelayRoundTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `fedai fl`: federated-learning tools: the in-process simulator, its cost benchmark, and the roles as processes. */
@Command(name = "fl", mixinStandardHelpOptions = true, description = "Federated learning: simulate rounds, benchmark secure aggregation.",
        subcommands = {FlCommand.Simulate.class, FlCommand.Bench.class, FlAggregateCommand.class, FlFullCommand.class,
            FlLightCommand.class, FlValidateCommand.class, FlVerifyRoundCommand.class})
public final class FlCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options shared by simulate and bench. */
    static class Common {
        @Option(names = "--clients", defaultValue = "20", description = "participants (default ${DEFAULT-VALUE})")
        int clients;
        @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
        long seed;
        @Option(names = "--model", defaultValue = "mlp", description = "mlp|logreg (default ${DEFAULT-VALUE})")
        String model;
        @Option(names = "--hidden", defaultValue = "64", description = "MLP hidden units (default ${DEFAULT-VALUE})")
        int hidden;
        @Option(names = "--epochs", defaultValue = "2", description = "local epochs per round (default ${DEFAULT-VALUE})")
        int epochs;
        @Option(names = "--batch", defaultValue = "32", description = "minibatch size (default ${DEFAULT-VALUE})")
        int batch;
        @Option(names = "--lr", defaultValue = "0.1", description = "learning rate (default ${DEFAULT-VALUE})")
        double lr;
        @Option(names = "--clip", defaultValue = "1.0", description = "L2 norm bound of an update, also the quantization range (default ${DEFAULT-VALUE})")
        double clip;
        @Option(names = "--data", description = "MNIST install prefix (default data/mnist or $FEDAI_MNIST)")
        Path data;

        Dataset load() {
            return FlRoleOptions.loadMnist(data);
        }

        SimulationConfig.ModelKind modelKind() {
            return switch (model.toLowerCase(Locale.ROOT)) {
                case "mlp" -> SimulationConfig.ModelKind.MLP;
                case "logreg" -> SimulationConfig.ModelKind.LOGREG;
                default -> throw new IllegalArgumentException("unknown model '" + model + "', expected mlp|logreg");
            };
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true, description = "Run a federation in process on MNIST and print test accuracy per round.")
    static final class Simulate extends Common implements Callable<Integer> {
        @Option(names = "--rounds", defaultValue = "30", description = "rounds (default ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--attack", defaultValue = "none", description = "none|signflip|labelflip|scaling|gaussian (default ${DEFAULT-VALUE})")
        String attack;
        @Option(names = "--attackers", defaultValue = "0", description = "fraction of attacking clients (default ${DEFAULT-VALUE})")
        double attackers;
        @Option(names = "--aggregation", defaultValue = "fedavg", description = "fedavg|median|trimmed_mean|krum|multi_krum|fltrust (default ${DEFAULT-VALUE})")
        String aggregation;
        @Option(names = "--secure", description = "secure aggregation (SecAgg+); with a robust rule, inside random groups")
        boolean secure;
        @Option(names = "--privacy", description = "masking|paillier: how secure groups are summed (implies --secure; "
                + "default masking). paillier: packed Paillier, key held by the validator; in process only")
        String privacy;
        @Option(names = "--paillier-bits", defaultValue = "2048", description = "Paillier modulus bits (default ${DEFAULT-VALUE})")
        int paillierBits;
        @Option(names = "--group-size", defaultValue = "4", description = "secure groups compared by the robust rule (default ${DEFAULT-VALUE})")
        int groupSize;
        @Option(names = "--dropouts", defaultValue = "0", description = "fraction of clients vanishing each round after key sharing (default ${DEFAULT-VALUE})")
        double dropouts;
        @Option(names = "--noniid", description = "two label shards per client instead of IID")
        boolean nonIid;
        @Option(names = "--plot", description = "write the accuracy curve to this PNG")
        Path plot;
        @Option(names = "--attackers-skip-clipping",
                description = "secure mode: attackers bypass the client-side norm clipping (modified software)")
        boolean skipClipping;
        @Option(names = "--relay", description = "carry the secure rounds' messages as federation events through this relay "
                + "(ws://...), or 'embedded' for an in-process relay; absent: in process")
        String relay;
        @Option(names = "--verbose", description = "print why updates or groups were excluded or failed")
        boolean verbose;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SimulationConfig cfg;
            try {
                org.fedai.fl.aggregation.RuleRegistry.code(aggregation); // fails fast on an unknown rule name
                if (privacy != null) {
                    privacy = privacy.toLowerCase(Locale.ROOT);
                    if (privacy.equals("secagg")) {
                        privacy = "masking"; // the task's (31410) name for pairwise masking, as fl aggregate takes it
                    }
                    if (!List.of("masking", "paillier").contains(privacy)) {
                        throw new IllegalArgumentException("unknown privacy mode '" + privacy
                                + "', expected secagg (masking)|paillier");
                    }
                    if (paillierBits < 1024 || paillierBits % 2 != 0) {
                        throw new IllegalArgumentException("--paillier-bits must be even and at least 1024 (2048 recommended)");
                    }
                    secure = true;
                }
                cfg = config();
                if (relay != null && !secure) {
                    throw new IllegalArgumentException("--relay carries the secure-aggregation messages: add --secure");
                }
                if (relay != null && "paillier".equals(privacy)) {
                    throw new IllegalArgumentException("--relay carries masking (SecAgg+) messages only; --privacy paillier runs in process");
                }
            } catch (IllegalArgumentException bad) {
                throw new CommandLine.ParameterException(spec.commandLine(), bad.getMessage());
            }
            return run(cfg, load());
        }

        private SimulationConfig config() {
            return new SimulationConfig(clients, rounds, Attack.parse(attack), attackers, aggregation.toLowerCase(Locale.ROOT),
                    secure, dropouts, nonIid, seed, modelKind(), hidden, new TrainingConfig(epochs, batch, lr, clip),
                    secure && !"fedavg".equalsIgnoreCase(aggregation) ? groupSize : 0, 2000, 100, skipClipping);
        }

        private int run(SimulationConfig cfg, Dataset all) throws java.io.IOException {
            String how = privacy == null ? "masking" : "paillier".equals(privacy) ? "paillier, " + paillierBits + "-bit n" : privacy;
            System.out.printf("fl simulate: %d clients (%d attackers: %s), %s, %s%s, aggregation %s, dropouts %.2f, model %s%n",
                    clients, cfg.attackers(), cfg.attack().label(), nonIid ? "non-IID (2 shards/client)" : "IID",
                    secure ? "secure (" + how + ")" : "plain", secure && cfg.groupSize() > 0 ? " (groups of " + cfg.groupSize() + ")" : "",
                    cfg.aggregation(), dropouts, model + (cfg.model() == SimulationConfig.ModelKind.MLP ? "(" + hidden + ")" : "")
                    + (skipClipping ? ", attackers skip clipping" : ""));
            FlSimulator.Result result = simulate(cfg, all, r -> report(String.format(Locale.ROOT,
                    "round %3d  accuracy %.4f  used %d  excluded %d  failures %d  %d ms%n",
                    r.round(), r.accuracy(), r.used(), r.excluded(), r.failures(), r.millis()),
                    verbose ? r.notes() : List.of()));
            if (!result.rejections().isEmpty()) {
                System.out.println("rejected updates: " + result.rejections());
            }
            if (secure) {
                System.out.printf("secure aggregation: %d messages, %.1f MB payload%n", result.messages(), result.payloadBytes() / 1e6);
            }
            if (plot != null) {
                TrainingCurvePlot.write(plot, String.format("%d clients, %s, %s %s", clients, cfg.aggregation(), cfg.attack().label(), attackers),
                        cfg.aggregation() + (secure ? " (secure)" : ""), result.rounds().stream().map(FlSimulator.RoundReport::accuracy).toList());
                System.out.println("plot written to " + plot);
            }
            System.out.printf(Locale.ROOT, "final accuracy %.4f%n", result.finalAccuracy());
            return 0;
        }

        private FlSimulator.Result simulate(SimulationConfig cfg, Dataset all,
                                            java.util.function.Consumer<FlSimulator.RoundReport> listener) throws java.io.IOException {
            if (relay == null) {
                return FlSimulator.run(cfg, all, listener, org.fedai.fl.sim.InProcessTransport::new, privacyMode());
            }
            EmbeddedRelay embedded = relay.equals("embedded") ? EmbeddedRelay.inMemory().start() : null;
            try (RelayPool pool = new RelayPool()) {
                String url = embedded != null ? embedded.url() : relay;
                pool.addRelay(url);
                try (RelayRoundTransport wire = new RelayRoundTransport(pool, "sim-" + seed, Duration.ofSeconds(30))) {
                    System.out.println("secure rounds carried by the relay " + url);
                    FlSimulator.Result result = FlSimulator.run(cfg, all, listener, wire::fresh);
                    System.out.printf("relay: %d events published, rejected on arrival %s%n", wire.eventsPublished(),
                            wire.rejections());
                    return result;
                }
            } finally {
                if (embedded != null) {
                    embedded.close();
                }
            }
        }

        private org.fedai.fl.sim.SecureSum privacyMode() {
            return org.fedai.fl.sim.SecureSum.named(privacy == null ? "masking" : privacy, paillierBits);
        }

        private static void report(String line, List<String> notes) {
            System.out.print(line);
            notes.forEach(n -> System.out.println("    " + n));
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Wall time of a plain FedAvg round vs a secure FedAvg round (masking or Paillier), same clients, data and model.")
    static final class Bench extends Common implements Callable<Integer> {
        @Option(names = "--rounds", defaultValue = "4", description = "rounds per run; the first of each run is JIT warm-up and not timed (default ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--passes", defaultValue = "3", description = "plain/secure pairs of runs, back to back, "
                + "order alternating (plain first, then secure first) to cancel load drift (default ${DEFAULT-VALUE})")
        int passes;
        @Option(names = "--privacy", defaultValue = "masking", description = "masking|paillier (default ${DEFAULT-VALUE})")
        String privacy;
        @Option(names = "--paillier-bits", defaultValue = "2048", description = "Paillier modulus bits (default ${DEFAULT-VALUE})")
        int paillierBits;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            org.fedai.fl.sim.SecureSum mode;
            try {
                if (passes < 1 || rounds < 1) {
                    throw new IllegalArgumentException("--passes and --rounds must be at least 1");
                }
                mode = org.fedai.fl.sim.SecureSum.named(privacy.toLowerCase(Locale.ROOT), paillierBits);
            } catch (IllegalArgumentException bad) {
                throw new CommandLine.ParameterException(spec.commandLine(), bad.getMessage());
            }
            Dataset all = load();
            Map<String, List<Long>> times = new LinkedHashMap<>();
            Map<String, List<Long>> cpuTimes = new LinkedHashMap<>();
            for (String m : List.of("plain", "secure")) {
                times.put(m, new java.util.ArrayList<>());
                cpuTimes.put(m, new java.util.ArrayList<>());
            }
            List<Double> passRatios = new java.util.ArrayList<>();
            System.out.printf("bench: %d clients, %s, %s, %d passes x %d rounds per mode, load average %.2f, %d cores%n", clients,
                    model + (modelKind() == SimulationConfig.ModelKind.MLP ? "(" + hidden + ")" : ""), mode.name(), passes, rounds,
                    loadAverage(), Runtime.getRuntime().availableProcessors());
            int params = 0;
            long securePayload = 0;
            int secureRounds = 0;
            for (int pass = 0; pass < passes; pass++) {
                Map<String, Double> passMedian = new LinkedHashMap<>();
                for (boolean secure : pass % 2 == 0 ? List.of(false, true) : List.of(true, false)) {
                    SimulationConfig cfg = new SimulationConfig(clients, rounds, Attack.NONE, 0, "fedavg", secure, 0, false, seed + pass,
                            modelKind(), hidden, new TrainingConfig(epochs, batch, lr, clip), 0, 2000, 100, false);
                    // CPU time is the steadier figure on a shared machine: other processes stretch wall time, not our CPU use
                    List<Long> cpu = new java.util.ArrayList<>();
                    long[] last = {processCpuNanos()};
                    FlSimulator.Result r = FlSimulator.run(cfg, all, x -> {
                        long now = processCpuNanos();
                        cpu.add((now - last[0]) / 1_000_000);
                        last[0] = now;
                    }, org.fedai.fl.sim.InProcessTransport::new, mode);
                    params = r.parameters();
                    String m = secure ? "secure" : "plain";
                    List<Long> timed = r.rounds().stream().skip(rounds > 1 ? 1 : 0).map(FlSimulator.RoundReport::millis).toList();
                    List<Long> cpuTimed = cpu.stream().skip(rounds > 1 ? 1 : 0).toList();
                    times.get(m).addAll(timed);
                    cpuTimes.get(m).addAll(cpuTimed);
                    passMedian.put(m, median(timed));
                    if (secure) {
                        securePayload += r.payloadBytes();
                        secureRounds += rounds;
                    }
                    System.out.printf("pass %d %-6s rounds wall ms %s, cpu ms %s, load %.2f%n", pass + 1, m, timed, cpuTimed, loadAverage());
                }
                passRatios.add(passMedian.get("secure") / passMedian.get("plain"));
            }
            double plain = median(times.get("plain"));
            double secure = median(times.get("secure"));
            System.out.printf(Locale.ROOT, "median round: plain %.0f ms, secure %.0f ms (%d parameters, %d clients)%n", plain, secure,
                    params, clients);
            double plainCpu = median(cpuTimes.get("plain"));
            double secureCpu = median(cpuTimes.get("secure"));
            System.out.printf(Locale.ROOT, "median round CPU: plain %.0f ms, secure %.0f ms, ratio %.3f%n", plainCpu, secureCpu,
                    secureCpu / plainCpu);
            System.out.printf(Locale.ROOT, "secure/plain round time ratio %.3f%n", secure / plain);
            List<Double> sorted = passRatios.stream().sorted().toList();
            System.out.printf(Locale.ROOT, "paired wall ratio (per pass, secure median / plain median, back to back): median %.3f, "
                    + "min %.3f, max %.3f, over %d passes %s%n", medianOf(sorted), sorted.getFirst(), sorted.getLast(), sorted.size(),
                    passRatios.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
            // plain mode sends each update as doubles (4423 f64le): the baseline of the expansion
            double perRound = (double) securePayload / secureRounds;
            System.out.printf(Locale.ROOT, "communication per round: secure %.2f MB, plain %.2f MB (f64 updates), expansion %.2fx%n",
                    perRound / 1e6, 8.0 * params * clients / 1e6, perRound / (8.0 * params * clients));
            return 0;
        }

        private static double loadAverage() {
            return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        private static double median(List<Long> xs) {
            return medianOf(xs.stream().map(Long::doubleValue).sorted().toList());
        }

        private static double medianOf(List<Double> s) {
            int n = s.size();
            return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
        }
    }
}
