package org.fedai.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedai.fl.data.MnistLoader;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip19;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FederationTaskCodec;
import org.fedai.roles.fl.AggregatorRole;
import org.fedai.roles.fl.RoundLog;
import org.fedai.store.FlJournal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedai fl aggregate}: coordinator and aggregator of one task, until its last round is published. */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
        description = {"Publish a federation task (31410) and aggregate its rounds over the relays: roster,",
                "plain updates, the named validator's reports, robust rule, checkpoint (4428) and rewards (4429)."})
final class FlAggregateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    FlRoleOptions role;
    @Option(names = "--task-id", defaultValue = "mnist-demo", description = "Task id, the d tag (default ${DEFAULT-VALUE}).")
    String taskId;
    @Option(names = "--model", defaultValue = "logreg", description = "logreg|mlp (default ${DEFAULT-VALUE}).")
    String model;
    @Option(names = "--hidden", defaultValue = "64", description = "MLP hidden units (default ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default ${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = "--participants", defaultValue = "4", description = "Full nodes per round (default ${DEFAULT-VALUE}).")
    int participants;
    @Option(names = "--aggregation", defaultValue = "fedavg",
            description = "fedavg|median|trimmed_mean|multi_krum|fltrust, as fl simulate takes them (default ${DEFAULT-VALUE}).")
    String aggregation;
    @Option(names = "--privacy", defaultValue = "plain",
            description = "plain|secagg (pairwise masking; 'masking' as fl simulate says it) (default ${DEFAULT-VALUE}).")
    String privacy;
    @Option(names = "--group-size", defaultValue = "3", description = "secagg: members per secure group, >= 3 (default ${DEFAULT-VALUE}).")
    int groupSize;
    @Option(names = "--unmask-seconds", defaultValue = "60", description = "secagg: unmask phase (default ${DEFAULT-VALUE}).")
    long unmaskSeconds;
    @Option(names = "--clip", defaultValue = "1.0", description = "L2 bound of every update (default ${DEFAULT-VALUE}).")
    double clip;
    @Option(names = "--epochs", defaultValue = "1", description = "Local epochs per round (default ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--batch", defaultValue = "32", description = "Minibatch size (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--lr", defaultValue = "0.1", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--enroll-seconds", defaultValue = "60", description = "Enrollment phase (default ${DEFAULT-VALUE}).")
    long enrollSeconds;
    @Option(names = "--update-seconds", defaultValue = "120", description = "Update phase (default ${DEFAULT-VALUE}).")
    long updateSeconds;
    @Option(names = "--reward-msat", defaultValue = "100000", description = "Reward per round, split by contribution (default ${DEFAULT-VALUE}).")
    long rewardMsat;
    @Option(names = "--validator", paramLabel = "NPUB", description = "Validator whose 4427 reports are honoured.")
    String validator;
    @Option(names = "--no-test", description = "Do not hold a test set (no accuracy lines).")
    boolean noTest;

    @Option(names = "--plot", paramLabel = "PNG", description = "At the end, write the accuracy per round to this PNG.")
    java.nio.file.Path plot;

    @Option(names = "--export", paramLabel = "JSON", description = {"At the end, write the trained model to this file:",
        "task, architecture, checkpoint sha256 (as 4428 publishes it) and the parameters."})
    java.nio.file.Path export;
    /** For restart tests: stop after this round as if killed (exit code 3), journal intact. */
    @Option(names = "--exit-after-round", hidden = true, defaultValue = "0")
    int exitAfterRound;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        if (privacy.equals("masking")) {
            privacy = "secagg";
        }
        try {
            aggregation = org.fedai.fl.aggregation.RuleRegistry.canonical(aggregation);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--aggregation: " + e.getMessage());
        }
        if (!FederationTaskCodec.AGGREGATIONS.contains(aggregation)) {
            throw new CommandLine.ParameterException(cli, "--aggregation " + aggregation + ": a task takes one of "
                    + new java.util.TreeSet<>(FederationTaskCodec.AGGREGATIONS));
        }
        if (!FederationTaskCodec.PRIVACY.contains(privacy)) {
            throw new CommandLine.ParameterException(cli, "--privacy must be one of " + FederationTaskCodec.PRIVACY);
        }
        if (privacy.equals("secagg") && aggregation.equals("fltrust")) {
            throw new CommandLine.ParameterException(cli, "--aggregation fltrust needs plain updates for the validator to score;"
                    + " with --privacy secagg use multi_krum, median or trimmed_mean");
        }
        if (privacy.equals("secagg") && (groupSize < 3 || groupSize > participants)) {
            throw new CommandLine.ParameterException(cli, "--group-size must be in 3..participants for secagg");
        }
        String architecture = switch (model.toLowerCase(Locale.ROOT)) {
            case "logreg" -> "logreg-" + MnistLoader.PIXELS + "-" + MnistLoader.CLASSES;
            case "mlp" -> "mlp-" + MnistLoader.PIXELS + "-" + hidden + "-" + MnistLoader.CLASSES;
            default -> throw new CommandLine.ParameterException(cli, "--model must be logreg or mlp");
        };
        String validatorHex = validator == null ? "" : CliOptions.pubkey(cli, "--validator", validator);
        if (rounds < 1 || participants < 2 || !(clip > 0) || epochs < 1 || batch < 1 || !(lr > 0)) {
            throw new CommandLine.ParameterException(cli, "need rounds >= 1, participants >= 2 and positive clip, epochs, batch, lr");
        }
        KeyPair keys = role.keys(cli, "aggregate");
        var test = noTest ? null : new org.fedai.roles.fl.FlData(role.seed, role.testSize, role.rootSize).test(role.mnist());
        AggregatorRole.Settings settings = new AggregatorRole.Settings(taskId, architecture, rounds, participants, aggregation,
                privacy, privacy.equals("secagg") ? groupSize : 0, clip,
                new FederationTask.Deadlines(enrollSeconds, updateSeconds, unmaskSeconds), rewardMsat, validatorHex,
                new FederationTask.Training(epochs, batch, lr, 2000), role.seed, exitAfterRound);
        PrintWriter out = cli.getOut();
        java.nio.file.Path db = role.db != null ? role.db : Files.createTempFile("fedai-fl-aggregate-", ".db");
        try (FlJournal journal = FlJournal.open(db); RelayPool pool = role.pool(cli, keys);
                AggregatorRole aggregator = new AggregatorRole(pool, keys, journal, settings, test, RoundLog.to(out))) {
            out.println("aggregator " + keys.npub());
            out.println("task " + aggregator.taskAddress() + " "
                    + Nip19.encodeNaddr(taskId, keys.publicKey(), 31410, List.copyOf(role.relays)));
            out.flush();
            AggregatorRole.Result result = aggregator.maxWait(role.maxWait()).run();
            if (plot != null && !result.accuracy().isEmpty()) {
                org.fedai.fl.sim.TrainingCurvePlot.write(plot, "fedai fl aggregate: " + taskId + ", " + aggregation
                        + ", " + privacy, aggregation, result.accuracy());
                out.println("plot written to " + plot);
            }
            if (export != null) {
                com.fasterxml.jackson.databind.node.ObjectNode model = org.fedai.nostr.Json.MAPPER.createObjectNode()
                        .put("task", aggregator.taskAddress()).put("architecture", architecture)
                        .put("checkpoint_sha256", result.checkpointSha256());
                com.fasterxml.jackson.databind.node.ArrayNode values = model.putArray("parameters");
                for (double v : result.parameters()) {
                    values.add(v);
                }
                java.nio.file.Files.writeString(export, model.toString());
                out.println("model written to " + export);
            }
            if (result.stoppedEarly()) {
                out.println("aggregator: stopping after round " + exitAfterRound + " as asked");
                out.flush();
                return 3;
            }
        }
        return 0;
    }
}
