package org.fedai.roles.fl;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedai.fl.Checkpoint;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.model.LocalTrainer;
import org.fedai.fl.model.Model;
import org.fedai.fl.aggregation.RuleRegistry;
import org.fedai.fl.round.Contribution;
import org.fedai.fl.round.RuleStrategy;
import org.fedai.fl.round.SecureOutcome;
import org.fedai.fl.round.SecureRoundDriver;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FederationTaskCodec;
import org.fedai.protocol.FlChunkCodecs;
import org.fedai.protocol.FlChunking;
import org.fedai.protocol.FlContext;
import org.fedai.protocol.FlMessage;
import org.fedai.protocol.FlReportCodecs;
import org.fedai.protocol.FlRoundCodecs;
import org.fedai.store.FlJournal;

/**
 * The coordinator and aggregator of one task, as a round loop: publish the task and the initial
 * checkpoint; then per round ENROLL (collect 4420 until enough or the deadline), ROSTERED (4421 out,
 * collect 4423 updates), VALIDATED (the named validator's 4427, or its deadline), DONE (checkpoint 4428
 * and rewards 4429 out). Each phase is journaled before its events go out; a restart skips done rounds,
 * republishes what it already signed and rebuilds the round from the relay.
 */
public final class AggregatorRole implements AutoCloseable {

    /** What the coordinator asks for; {@code exitAfterRound} > 0 stops (as if killed) once that round is done. */
    public record Settings(String taskId, String architecture, int rounds, int participants, String aggregation,
                           String privacy, int groupSize, double clipNorm, FederationTask.Deadlines deadlines, long rewardMsatPerRound,
                           String validator, FederationTask.Training training, long seed, int exitAfterRound) {
    }

    /** How the run ended: accuracy per round (empty without a test set), the last checkpoint and its parameters. */
    public record Result(List<Double> accuracy, String checkpointSha256, boolean stoppedEarly, double[] parameters) {
    }

    private static final String PUBLISHED = "published";
    private static final String ROSTERED = "rostered";
    private static final String DONE = "done";

    private final KeyPair keys;
    private final FlJournal journal;
    private final Settings settings;
    private final Dataset test;
    private final RoundLog log;
    private final TaskFeed feed;
    private final FlPublisher publisher;
    private final RejectionCounts rejections = new RejectionCounts();
    private final FederationTask task;
    private final String address;
    private final Model model;
    private final Rounds rounds;
    private final InstantSource clock;
    private final RuleStrategy strategy;
    private final SecureRoundDriver driver;
    /** How long a round may wait for its first two participants before the run gives up (fl --max-wait). */
    private volatile java.time.Duration maxWait = java.time.Duration.ofMinutes(30);

    public AggregatorRole(RelayPort pool, KeyPair keys, FlJournal journal, Settings settings, Dataset test,
                          RoundLog log) {
        this(pool, keys, journal, settings, test, log, InstantSource.system());
    }

    /** @param clock what deadlines and event timestamps are read from */
    public AggregatorRole(RelayPort pool, KeyPair keys, FlJournal journal, Settings settings, Dataset test,
                          RoundLog log, InstantSource clock) {
        this.clock = clock;
        this.keys = keys;
        this.journal = journal;
        this.settings = settings;
        this.test = test;
        this.log = log;
        this.address = FlContext.taskAddress(keys.publicKey(), settings.taskId());
        this.model = FlData.model(settings.architecture(), settings.seed())
                .orElseThrow(() -> new IllegalArgumentException("unknown architecture " + settings.architecture()
                        + ": expected logreg-784-10 or mlp-784-<hidden>-10"));
        this.publisher = new FlPublisher(pool, keys, journal, address, Duration.ofSeconds(20));
        this.task = journaledTask().orElseGet(this::newTask);
        this.rounds = new Rounds(task, keys.publicKey(), rejections);
        this.strategy = strategy(task, test == null ? null : parameters -> {
            model.setParameters(parameters);
            return LocalTrainer.accuracy(model, test);
        });
        this.driver = new SecureRoundDriver(strategy, new SecureRoundDriver.Scale(task.clipNorm(), task.training().sampleCap()));
        this.feed = new TaskFeed(pool, keys.publicKey(), settings.taskId(), clock);
    }

    public String taskAddress() {
        return address;
    }

    public FederationTask task() {
        return task;
    }

    public RejectionCounts rejections() {
        return rejections;
    }

    public Result run() throws InterruptedException {
        double[] global = model.parameters();
        if (journal.phase(address, 0).isPresent()) {
            publisher.republish(0);
        } else {
            List<UnsignedEvent> first = new ArrayList<>();
            first.add(FederationTaskCodec.encode(task, now()));
            first.addAll(checkpointEvents(0, global));
            publisher.publish(0, first);
            journal.phase(address, 0, PUBLISHED);
        }
        int done = journal.lastRoundIn(address, DONE);
        if (done > 0) {
            global = FlChunking.finiteDoubles(journal.blob(address, done, "global").orElseThrow()).orElseThrow();
            publisher.republish(done); // the checkpoint that opens the next round, in case it never went out
            log.say(String.format("aggregator: resuming after round %d from the journal", done));
        }
        List<Double> accuracy = new ArrayList<>();
        String sha = Checkpoint.hash(global);
        for (int n = done + 1; n <= task.rounds(); n++) {
            global = round(n, global, accuracy);
            sha = Checkpoint.hash(global);
            if (n == settings.exitAfterRound() && n < task.rounds()) {
                return new Result(accuracy, sha, true, global);
            }
        }
        log.say(String.format(Locale.ROOT, "final accuracy %.4f checkpoint %s rejected %s",
                accuracy.isEmpty() ? Double.NaN : accuracy.getLast(), sha, rejections));
        return new Result(accuracy, sha, false, global);
    }

    private double[] round(int n, double[] global, List<Double> accuracy) throws InterruptedException {
        rounds.advance(n);
        RoundState state = rounds.state(n);
        if (journal.phase(address, n).isPresent()) {
            publisher.republish(n);
            journal.outbox(address, n).forEach(json -> state.offer(parse(json))); // our own roster, as sent
        } else {
            roster(n, state);
        }
        double[] next;
        Map<String, Contribution> contributions;
        int used;
        java.util.Set<String> excluded;
        if (secure()) {
            SecureOutcome outcome = driver.run(n, RelayChannel.groups(task, state),
                    new RelayChannel(task, keys, feed, rounds, publisher, rejections, state, clock), global);
            if (Thread.interrupted()) {
                throw new InterruptedException("aggregator interrupted in round " + n);
            }
            outcome.groups().forEach((g, sum) -> {
                if (sum instanceof SecureRoundDriver.GroupSum.Aborted a) {
                    rejections.count("aborted", g + ": " + a.reason());
                }
            });
            next = outcome.parameters();
            contributions = outcome.contributions();
            used = outcome.aggregation().used().size();
            excluded = outcome.aggregation().excluded().keySet();
        } else {
            feed.until(rounds::offer, () -> state.updates().keySet().containsAll(state.rosterIds()),
                    deadline(task.deadlines().updateSeconds()));
            if (!task.validator().isEmpty()) {
                feed.until(rounds::offer, () -> state.report().isPresent(), deadline(task.deadlines().updateSeconds()));
            }
            PlainRound.Outcome outcome = PlainRound.run(task, strategy, global, state.updates(), state.report().orElse(null),
                    state.rosterIds());
            next = outcome.parameters();
            contributions = outcome.contributions();
            used = outcome.used().size();
            excluded = outcome.excluded().keySet();
        }
        String sha = Checkpoint.hash(next);
        journal.putBlob(address, n, "global", FlChunking.doubles(next));
        List<UnsignedEvent> events = new ArrayList<>(checkpointEvents(n, next));
        FlContext ctx = state.context();
        contributions.forEach((p, c) -> events.add(FlReportCodecs.encodeReward(new FlMessage.RewardRecord(n, p,
                c.share(), Math.round(c.share() * task.rewardMsatPerRound()), sha, String.format(Locale.ROOT,
                "%s; weight %.0f, quality %.3f", c.reason(), c.weight(), c.quality())), ctx, ctx.enrolled().get(p), now())));
        publisher.publish(n, events);
        journal.phase(address, n, DONE);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d", n));
        strategy.evaluate(next).ifPresent(acc -> {
            accuracy.add(acc);
            line.append(String.format(Locale.ROOT, " accuracy %.4f", acc));
        });
        line.append(String.format(Locale.ROOT, " updates %d used %d excluded %s report %s checkpoint %s",
                state.inputCount(), used, excluded, state.report().isPresent() ? "yes" : "none", sha));
        log.say(line.toString());
        return next;
    }

    /** ENROLL until enough (or the deadline, keeping the round open below two), then the roster: one per secure group. */
    private void roster(int n, RoundState state) throws InterruptedException {
        Instant giveUp = clock.instant().plus(maxWait);
        feed.until(rounds::offer, () -> state.enrollmentCount() >= task.participantsNeeded(),
                earlier(deadline(task.deadlines().enrollSeconds()), giveUp));
        while (state.enrollmentCount() < 2) { // a federation of one is no federation: keep the round open
            if (!clock.instant().isBefore(giveUp)) {
                throw new IllegalStateException("round " + n + ": " + state.enrollmentCount() + " participant(s)"
                        + " enrolled within " + maxWait.toSeconds() + " s, and a round needs 2 (--max-wait)");
            }
            log.say(String.format("aggregator: round %d: %d of %d participants enrolled; waiting (up to %d s more)", n,
                    state.enrollmentCount(), task.participantsNeeded(), Duration.between(clock.instant(), giveUp).toSeconds()));
            feed.until(rounds::offer, () -> state.enrollmentCount() >= 2,
                    earlier(deadline(task.deadlines().enrollSeconds()), giveUp));
        }
        List<FlMessage.Member> members = state.members(task.participantsNeeded());
        FlContext open = new FlContext(address, n, java.util.Map.of());
        List<UnsignedEvent> rosters = new ArrayList<>();
        if (secure()) {
            Map<String, FlMessage.Member> byId = new java.util.HashMap<>();
            members.forEach(m -> byId.put(m.participant(), m));
            List<SecureRoundDriver.Group> groups = driver.groups(address, n,
                    members.stream().map(FlMessage.Member::participant).toList(), task.model().parameters() + 1,
                    SecureRoundDriver.DROPOUT_TOLERANCE, settings.seed() * 1_000_003L + n);
            for (SecureRoundDriver.Group g : groups) {
                rosters.add(FlRoundCodecs.encodeRoster(new FlMessage.Roster(n, g.id(), g.config().threshold(),
                        g.members().stream().map(byId::get).toList()), open, now()));
            }
        } else {
            rosters.add(FlRoundCodecs.encodeRoster(new FlMessage.Roster(n, "all", 1, members), open, now()));
        }
        List<Event> sent = publisher.publish(n, rosters);
        journal.phase(address, n, ROSTERED);
        sent.forEach(state::offer);
    }

    /**
     * The task's strategy. Across processes FLTrust's trust is the validator's published score of each plain
     * update; secure groups have no such score, so secagg with fltrust is refused rather than run as FedAvg.
     */
    static RuleStrategy strategy(FederationTask task, java.util.function.ToDoubleFunction<double[]> evaluation) {
        boolean secure = task.privacy().equals("secagg");
        if (secure && RuleRegistry.code(task.aggregation()) == RuleRegistry.Code.FLTRUST) {
            throw new IllegalArgumentException("fltrust is not available with secagg across processes: the validator scores "
                    + "plain updates, not secure group means; use multi_krum, median or trimmed_mean");
        }
        return new RuleStrategy(task.aggregation(), secure ? new RuleRegistry.Trust.None() : new RuleRegistry.Trust.ScoredWeights(),
                secure ? task.groupSize() : 0, evaluation);
    }

    private boolean secure() {
        return task.privacy().equals("secagg");
    }

    private List<UnsignedEvent> checkpointEvents(int n, double[] parameters) {
        FlContext ctx = new FlContext(address, n, java.util.Map.of());
        return FlChunking.split(n, "aggregator", "model-r" + n, "f64le", FlChunking.doubles(parameters)).stream()
                .map(c -> FlChunkCodecs.encodeCheckpointChunk(c, ctx, now())).toList();
    }

    private FederationTask newTask() {
        Settings s = settings;
        double[] initial = model.parameters();
        return new FederationTask(s.taskId(), keys.publicKey(), new FederationTask.Model(s.architecture(),
                initial.length, Checkpoint.hash(initial)), s.rounds(), s.participants(), s.aggregation(), s.privacy(), s.groupSize(),
                s.clipNorm(), s.deadlines(), "weight_x_quality", s.rewardMsatPerRound(), now() + 7 * 24 * 3600,
                s.validator(), s.training());
    }

    /** After a restart the task is the one already published, not a new one with another expiry. */
    private java.util.Optional<FederationTask> journaledTask() {
        for (String json : journal.outbox(address, 0)) {
            Event e = parse(json);
            if (e.kind() == 31410 && FederationTaskCodec.decode(e, now()) instanceof Decoded.Accepted<FederationTask> a) {
                return java.util.Optional.of(a.value());
            }
        }
        return java.util.Optional.empty();
    }

    private static Event parse(String json) {
        try {
            return EventJson.parse(json);
        } catch (MalformedEventException e) {
            throw new IllegalStateException("journal holds an unreadable event", e);
        }
    }

    /** Gives up a round that cannot start after {@code wait} instead of waiting for ever. */
    public AggregatorRole maxWait(java.time.Duration wait) {
        if (wait.isNegative() || wait.isZero()) {
            throw new IllegalArgumentException("--max-wait must be positive");
        }
        maxWait = wait;
        return this;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private Instant deadline(long seconds) {
        return clock.instant().plusSeconds(seconds);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    @Override
    public void close() {
        feed.close();
    }
}
