package org.fedai.roles.fl;

import org.fedai.domain.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.fedai.fl.Checkpoint;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.model.LocalTrainer;
import org.fedai.fl.model.Model;
import org.fedai.fl.model.TrainingConfig;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Secp256k1Keys;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.nostr.relay.Nip09Deletion;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FederationTaskCodec;
import org.fedai.protocol.FlChunk;
import org.fedai.protocol.FlChunkCodecs;
import org.fedai.protocol.FlChunking;
import org.fedai.protocol.FlContext;
import org.fedai.protocol.FlMessage;
import org.fedai.protocol.FlRoundCodecs;
import org.fedai.store.FlJournal;

/**
 * A full node: per round it enrolls (ENROLLED), waits for the previous checkpoint (WAIT_MODEL) and the roster,
 * trains on its own shard plus the data light nodes sealed to it, clips to the task's bound and publishes its update
 * weighted by its sample count (SENT). Light nodes' data is held in memory only and
 * dropped when its owner withdraws (a NIP-09 deletion tagged with the task). The journal records the
 * phase and the signed events, so a restarted node resends its update instead of training a second one.
 *
 * <p>It enrolls in a round as soon as it sent its update for the one before, not once that round's checkpoint is
 * out: an enrollment does not depend on the checkpoint, and the aggregator, holding the next round's enrollments when
 * it signs a checkpoint, sends the next roster in the same hop (issue 17: two relay hops a round fewer, secagg 8 -> 6,
 * plain 4 -> 2; {@code FederationHopsTest}).
 */
public final class FullNodeRole implements AutoCloseable {

    /** {@code contribution}: what the node sends of its update ({@link Contribution#HONEST} but in tests). */
    public record Settings(PublicKey coordinator, String taskId, Dataset own, Contribution contribution, long seed,
            Duration maxWait) {
    }

    private final KeyPair keys;
    private final InstantSource clock;
    private final FlJournal journal;
    private final Settings settings;
    private final RoundLog log;
    private final TaskFeed feed;
    private final FlPublisher publisher;
    private final String address;
    private final String me;
    private final RejectionCounts rejections = new RejectionCounts();
    private final ChunkStreams dataStreams = new ChunkStreams(rejections);
    private final Map<String, Dataset> lightData = new LinkedHashMap<>();
    private final Set<String> withdrawn = new HashSet<>();
    private final List<Event> early = new ArrayList<>();
    private FederationTask task;
    private Rounds rounds;

    public FullNodeRole(RelayPort pool, KeyPair keys, FlJournal journal, Settings settings, RoundLog log) {
        this(pool, keys, journal, settings, log, InstantSource.system());
    }

    /** @param clock what deadlines and event timestamps are read from */
    public FullNodeRole(RelayPort pool, KeyPair keys, FlJournal journal, Settings settings, RoundLog log, InstantSource clock) {
        this.clock = clock;
        this.keys = keys;
        this.journal = journal;
        this.settings = settings;
        this.log = log;
        this.address = FlContext.taskAddress(settings.coordinator().hex(), settings.taskId());
        this.me = RoundState.participantId(keys.publicKey());
        this.publisher = new FlPublisher(pool, keys, journal, address, Duration.ofSeconds(20));
        this.feed = new TaskFeed(pool, settings.coordinator().hex(), settings.taskId(), clock);
    }

    public RejectionCounts rejections() {
        return rejections;
    }

    public void run() throws InterruptedException {
        feed.awaitStored(Duration.ofSeconds(20)); // light nodes' data sent before we started is history
        Instant giveUp = clock.instant().plus(settings.maxWait());
        if (!feed.until(this::onEvent, () -> task != null, giveUp)) {
            throw new IllegalStateException("no task " + address + " on the relay within " + settings.maxWait());
        }
        for (int n = 1; n <= task.rounds(); n++) {
            rounds.advance(n);
            String phase = journal.phase(address, n).orElse(""); // as the last run left it: "" for a fresh round
            SecureParticipant participant = new SecureParticipant(n, me);
            if (phase.isEmpty()) {
                enroll(n, participant);
            }
            RoundState previous = rounds.state(n - 1);
            if (!feed.until(this::onEvent, () -> previous.hasCheckpoint(), giveUp)) {
                throw new IllegalStateException("no checkpoint of round " + (n - 1) + " within " + settings.maxWait());
            }
            if (n == 1 && !previous.checkpointSha256().equals(task.model().initialSha256())) {
                throw new IllegalStateException("initial checkpoint does not match the task's initial_sha256");
            }
            round(n, previous.checkpoint(), giveUp, phase, participant);
        }
        RoundState last = rounds.state(task.rounds());
        feed.until(this::onEvent, () -> last.hasCheckpoint(), giveUp);
        log.say(String.format("full %s: done, final checkpoint %s, rejected %s", me, last.checkpointSha256(), rejections));
    }

    /** The enrollment, journalled as sent; plain mode uses no masking keys, but it carries fresh ones to read alike. */
    private void enroll(int n, SecureParticipant participant) throws InterruptedException {
        FlMessage.Enrollment e = task.privacy().equals("secagg") ? participant.enrollment()
                : new FlMessage.Enrollment(n, me, freshKey(), freshKey());
        publisher.publish(n, FlRoundCodecs.encodeEnrollment(e, new FlContext(address, n, Map.of()), task.aggregator(),
                now()));
        journal.phase(address, n, "enrolled");
    }

    /** {@code phase}: where the last run left the round ("" when this run enrolled in it). */
    private void round(int n, double[] global, Instant giveUp, String phase, SecureParticipant participant)
            throws InterruptedException {
        if (phase.equals("sent")) {
            publisher.republish(n);
            return;
        }
        RoundState state = rounds.state(n);
        boolean secure = task.privacy().equals("secagg");
        if (phase.equals("enrolled") && secure) {
            log.say(String.format("full %s: restarted inside round %d; its masking secrets are gone, so it sits this round out", me, n));
            return;
        } else if (phase.equals("enrolled")) {
            publisher.republish(n);
        }
        // secagg publishes one roster per group: wait for ours, or for the round to end without us
        feed.until(this::onEvent, () -> state.rosterIds().contains(me) || state.hasCheckpoint(), giveUp);
        if (!state.rostered() || !state.rosterIds().contains(me)) {
            log.say(String.format("full %s: not on the roster of round %d", me, n));
            return;
        }
        Dataset data = settings.own();
        for (Dataset d : lightData.values()) {
            data = FlData.concat(data, d);
        }
        Model model = FlData.model(task.model().architecture(), settings.seed()).orElseThrow();
        model.setParameters(global);
        FederationTask.Training t = task.training();
        TrainingConfig cfg = new TrainingConfig(t.epochs(), t.batchSize(), t.learningRate(), task.clipNorm());
        LocalTrainer.LocalUpdate update = LocalTrainer.train(model, data, cfg, new Random(settings.seed() * 7919L + n));
        double[] delta = settings.contribution().update(update.delta());
        if (secure) {
            var failed = participant.run(task, state, keys, feed, this::onEvent, publisher, delta, data.size(),
                    !settings.contribution().staysAfterSharingKeys(), clock);
            journal.phase(address, n, "sent");
            log.say(String.format("full %s: round %d secure update from %d samples (%d from light nodes)%s", me, n, data.size(),
                    data.size() - settings.own().size(), failed.map(f -> ", but " + f).orElse("")));
            return;
        }
        List<FlChunk> chunks = FlChunking.split(n, me, "u-" + me, "f64le",
                FlChunking.doubles(PlainRound.encode(delta, data.size())));
        FlContext ctx = state.context();
        publisher.publish(n, chunks.stream().map(c -> FlChunkCodecs.encodeUpdateChunk(c, ctx, task.aggregator(), now())).toList());
        journal.phase(address, n, "sent");
        log.say(String.format("full %s: round %d update from %d samples (%d from light nodes), global %s", me, n, data.size(),
                data.size() - settings.own().size(), Checkpoint.hash(global).substring(0, 12)));
    }

    private void onEvent(Event event) {
        int kind = event.kind();
        if (task == null) {
            if (kind == FedaiKind.FEDERATION_TASK.number()) {
                task = acceptTask(event);
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
        if (kind == FedaiKind.FL_DATA_CHUNK.number()) {
            dataChunk(event);
        } else if (kind == Nip09Deletion.KIND) {
            withdrawal(event);
        } else if (kind != FedaiKind.FEDERATION_TASK.number()) { // the task is taken once, above
            rounds.offer(event);
        }
    }

    private FederationTask acceptTask(Event event) {
        return rejections.accept(event, FederationTaskCodec.decode(event, now()));
    }

    private void dataChunk(Event event) {
        if (!keys.publicKey().equals(event.firstTagValue("p").orElse(""))) {
            return; // sealed to another full node
        }
        if (withdrawn.contains(event.pubkey())) {
            rejections.count(event, "withdrawn", "data chunk from a light node that withdrew");
            return;
        }
        FlChunk c = rejections.accept(event, FlChunkCodecs.decodeDataChunk(event, new FlContext(address, 0, Map.of()), keys));
        if (c == null) {
            return;
        }
        dataStreams.offer(event, c).ifPresent(w -> FlData.decodeSamples(w.bytes()).ifPresentOrElse(d -> {
            lightData.put(event.pubkey(), d);
            log.say(String.format("full %s: %d samples from light node %s", me, d.size(), org.fedai.nostr.Nip19.shortNpub(event.pubkey())));
        }, () -> rejections.count(event, "malformed_content", "light data is not whole labelled samples")));
    }

    /** NIP-09 deletion by a light node, tagged with this task: its data leaves every later round. */
    private void withdrawal(Event event) {
        if (!event.tagValues("a").contains(address)) {
            return;
        }
        withdrawn.add(event.pubkey());
        if (lightData.remove(event.pubkey()) != null) {
            log.say(String.format("full %s: light node %s withdrew; its data is dropped", me, org.fedai.nostr.Nip19.shortNpub(event.pubkey())));
        }
    }

    private static String freshKey() {
        return Hex.encode(Secp256k1Keys.xOnlyPublicKey(Secp256k1Keys.generateSecretKey()));
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    @Override
    public void close() {
        feed.close();
    }
}
