package org.fedai.roles.fl;

import org.fedai.domain.PublicKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.model.LocalTrainer;
import org.fedai.fl.model.Model;
import org.fedai.fl.model.TrainingConfig;
import org.fedai.fl.model.Vectors;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FederationTaskCodec;
import org.fedai.protocol.FlContext;
import org.fedai.protocol.FlMessage;
import org.fedai.protocol.FlReportCodecs;
import org.fedai.store.FlJournal;

/**
 * A validation node (FLTrust-style, Cao et al. 2021): per round it trains the previous checkpoint on its
 * small clean root set to get a reference update g0, scores each plain update by its cosine to g0 and checks
 * its L2 norm against the task's bound, and publishes a signed 4427 report. It excludes updates that point
 * away from g0 (cosine <= 0), break the bound, or come from a repeat offender (excluded in
 * {@link #REPEAT_OFFENCES} earlier rounds), whom it keeps excluding. Offences are journaled per round.
 */
public final class ValidatorRole implements AutoCloseable {

    static final int REPEAT_OFFENCES = 2;

    public record Settings(PublicKey coordinator, String taskId, Dataset root, long seed, Duration maxWait) {
    }

    private final FlJournal journal;
    private final InstantSource clock;
    private final Settings settings;
    private final RoundLog log;
    private final TaskFeed feed;
    private final FlPublisher publisher;
    private final String address;
    private final RejectionCounts rejections = new RejectionCounts();
    private final List<Event> early = new ArrayList<>();
    private FederationTask task;
    private Rounds rounds;

    public ValidatorRole(RelayPort pool, KeyPair keys, FlJournal journal, Settings settings, RoundLog log) {
        this(pool, keys, journal, settings, log, InstantSource.system());
    }

    /** @param clock what deadlines and event timestamps are read from */
    public ValidatorRole(RelayPort pool, KeyPair keys, FlJournal journal, Settings settings, RoundLog log, InstantSource clock) {
        this.clock = clock;
        this.journal = journal;
        this.settings = settings;
        this.log = log;
        this.address = FlContext.taskAddress(settings.coordinator().hex(), settings.taskId());
        this.publisher = new FlPublisher(pool, keys, journal, address, Duration.ofSeconds(20));
        this.feed = new TaskFeed(pool, settings.coordinator().hex(), settings.taskId(), clock);
    }

    public void run() throws InterruptedException {
        Instant giveUp = clock.instant().plus(settings.maxWait());
        if (!feed.until(this::onEvent, () -> task != null, giveUp)) {
            throw new IllegalStateException("no task " + address + " on the relay within " + settings.maxWait());
        }
        for (int n = 1; n <= task.rounds(); n++) {
            rounds.advance(n);
            if (journal.phase(address, n).isPresent()) {
                publisher.republish(n);
                continue;
            }
            RoundState previous = rounds.state(n - 1);
            RoundState state = rounds.state(n);
            if (!feed.until(this::onEvent, () -> previous.hasCheckpoint() && state.rostered(), giveUp)) {
                throw new IllegalStateException("round " + n + " never opened within " + settings.maxWait());
            }
            feed.until(this::onEvent, () -> state.updates().keySet().containsAll(state.rosterIds()),
                    clock.instant().plusSeconds(task.deadlines().updateSeconds()));
            FlMessage.ValidationReport report = score(n, previous.checkpoint(), state);
            journal.putBlob(address, n, "offenders", String.join(",", report.excluded().keySet()).getBytes(StandardCharsets.UTF_8));
            publisher.publish(n, FlReportCodecs.encodeValidationReport(report, state.context(), clock.instant().getEpochSecond()));
            journal.phase(address, n, "reported");
            log.say(String.format(Locale.ROOT, "validator: round %d scored %d updates, excluded %s", n, report.scores().size(),
                    report.excluded()));
        }
        log.say(String.format("validator: done, rejected %s", rejections));
    }

    private FlMessage.ValidationReport score(int n, double[] global, RoundState state) {
        Model model = FlData.model(task.model().architecture(), settings.seed()).orElseThrow();
        model.setParameters(global);
        FederationTask.Training t = task.training();
        TrainingConfig cfg = new TrainingConfig(t.epochs(), t.batchSize(), t.learningRate(), task.clipNorm());
        double[] g0 = LocalTrainer.train(model, settings.root(), cfg, new Random(settings.seed() * 31 + n)).delta();
        double n0 = Vectors.norm(g0);
        Map<String, Integer> offences = offences(n);
        List<FlMessage.Score> scores = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        state.updates().forEach((p, u) -> {
            double norm = Vectors.norm(u.delta());
            double cos = norm == 0 || n0 == 0 ? 0 : Vectors.dot(u.delta(), g0) / (norm * n0);
            boolean normOk = norm <= task.clipNorm() * (1 + 1e-9);
            scores.add(new FlMessage.Score(p, cos, norm, normOk));
            if (offences.getOrDefault(p, 0) >= REPEAT_OFFENCES) {
                excluded.put(p, "repeat offender: excluded in " + offences.get(p) + " earlier rounds");
            } else if (!normOk) {
                excluded.put(p, String.format(Locale.ROOT, "norm %.4f above the bound %.4f", norm, task.clipNorm()));
            } else if (cos <= 0) {
                excluded.put(p, String.format(Locale.ROOT, "cosine %.3f to the root update", cos));
            }
        });
        return new FlMessage.ValidationReport(n, task.clipNorm(), scores, excluded);
    }

    /** How often each participant was excluded before round n, from the journal (survives restarts). */
    private Map<String, Integer> offences(int n) {
        Map<String, Integer> out = new HashMap<>();
        for (int r = 1; r < n; r++) {
            journal.blob(address, r, "offenders").ifPresent(b -> {
                for (String p : new String(b, StandardCharsets.UTF_8).split(",")) {
                    if (!p.isEmpty()) {
                        out.merge(p, 1, Integer::sum);
                    }
                }
            });
        }
        return out;
    }

    private void onEvent(Event event) {
        if (task == null) {
            if (event.kind() == 31410) {
                task = rejections.accept(event, FederationTaskCodec.decode(event, clock.instant().getEpochSecond()));
                if (task != null) {
                    rounds = new Rounds(task, settings.coordinator().hex(), rejections);
                    List<Event> held = List.copyOf(early);
                    early.clear();
                    held.forEach(this::onEvent);
                }
            } else {
                early.add(event);
            }
            return;
        }
        rounds.offer(event);
    }

    @Override
    public void close() {
        feed.close();
    }
}
