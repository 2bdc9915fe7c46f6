package org.fedai.roles.fl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fedai.nostr.Event;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FlChunk;
import org.fedai.protocol.FlChunkCodecs;
import org.fedai.protocol.FlChunking;
import org.fedai.protocol.FlContext;
import org.fedai.protocol.FlMessage;
import org.fedai.protocol.FlReportCodecs;
import org.fedai.protocol.FlRoundCodecs;

/**
 * What the relay says about one round of one task, as any observer decodes it: enrollments, the
 * aggregator's roster, the participants' plain updates, the named validator's report, the checkpoint and
 * the rewards. Each event is checked by its codec against this round's context (task, round, roster);
 * what fails is counted by reason and otherwise ignored. Updates that arrive before the roster wait for
 * it, since history may come back from a relay in any order.
 */
final class RoundState {

    private final FederationTask task;
    private final String address;
    private final String coordinator;
    private final int round;
    private final RejectionCounts rejections;
    private final ChunkStreams streams;
    private final Map<String, FlMessage.Enrollment> enrollments = new LinkedHashMap<>();
    private final Map<String, String> enrolledKeys = new LinkedHashMap<>();
    private final Map<String, PlainRound.Input> updates = new TreeMap<>();
    private final Map<String, String> updateHashes = new TreeMap<>();
    private final List<FlMessage.RewardRecord> rewards = new ArrayList<>();
    private final List<Event> waitingForRoster = new ArrayList<>();
    /** The first roster; in secagg mode one roster per group, by group id. */
    private FlMessage.Roster roster;
    private final Map<String, FlMessage.Roster> rosters = new TreeMap<>();
    /** secagg: assembled masked inputs (u32le words) by participant. */
    private final Map<String, int[]> maskedInputs = new TreeMap<>();
    /** secagg: 4424 / 4425 / 4426 as they came; only their addressee can open the sealed ones. */
    private final List<Event> keyShares = new ArrayList<>();
    private final List<Event> unmaskRequests = new ArrayList<>();
    private final List<Event> unmaskResponses = new ArrayList<>();
    /** secagg: the aggregator's 4430 reveal per group. */
    private final Map<String, FlMessage.UnmaskReveal> reveals = new TreeMap<>();
    private FlMessage.ValidationReport report;
    private double[] checkpoint;
    private String checkpointSha256;
    /** Every complete checkpoint the aggregator signed for this round, by hash: more than one is a conflict. */
    private final Map<String, double[]> checkpoints = new LinkedHashMap<>();

    RoundState(FederationTask task, String coordinator, int round, RejectionCounts rejections) {
        this.task = task;
        this.coordinator = coordinator;
        this.address = FlContext.taskAddress(coordinator, task.id());
        this.round = round;
        this.rejections = rejections;
        this.streams = new ChunkStreams(rejections);
    }

    int round() {
        return round;
    }

    /** The participant id a pubkey enrolls under: short enough to read, bound to the key by the roster. */
    static String participantId(String pubkey) {
        return "p-" + pubkey.substring(0, 16);
    }

    FlContext context() {
        Map<String, String> bound = new TreeMap<>();
        rosters.values().forEach(r -> r.members().forEach(m -> bound.put(m.participant(), m.pubkey())));
        return new FlContext(address, round, bound);
    }

    void offer(Event event) {
        switch (FedaiKind.of(event.kind()).orElse(null)) {
            case FL_ENROLLMENT -> enrollment(event);
            case FL_ROSTER -> roster(event);
            case FL_UPDATE_CHUNK -> update(event);
            case FL_KEY_SHARE -> keyShares.add(event);
            case FL_UNMASK_REQUEST -> unmaskRequests.add(event);
            case FL_UNMASK_RESPONSE -> unmaskResponses.add(event);
            case FL_VALIDATION_REPORT -> report(event);
            case FL_CHECKPOINT_CHUNK -> checkpoint(event);
            case FL_REWARD_RECORD -> reward(event);
            case FL_UNMASK_REVEAL -> {
                FlMessage.UnmaskReveal r = rejections.accept(event, FlRoundCodecs.decodeUnmaskReveal(event, context(), task.aggregator()));
                if (r != null) {
                    reveals.putIfAbsent(r.group(), r);
                }
            }
            case null, default -> {
                // data chunks (4422) and the market's kinds belong to other roles
            }
        }
    }

    private void enrollment(Event event) {
        FlMessage.Enrollment e = rejections.accept(event, FlRoundCodecs.decodeEnrollment(event, context().withRound(round)));
        if (e == null) {
            return;
        }
        if (!e.participant().equals(participantId(event.pubkey()))) {
            rejections.count(event, "inconsistent", "participant id " + e.participant() + " is not derived from its signer");
        } else if (enrollments.containsKey(e.participant())) {
            rejections.count(event, "duplicate", "second enrollment of " + e.participant());
        } else {
            enrollments.put(e.participant(), e);
            enrolledKeys.put(e.participant(), event.pubkey());
        }
    }

    private void roster(Event event) {
        if (!event.pubkey().equals(task.aggregator())) {
            rejections.count(event, "not_enrolled", "roster not signed by the aggregator");
            return;
        }
        FlMessage.Roster r = rejections.accept(event, FlRoundCodecs.decodeRoster(event, new FlContext(address, round, Map.of())));
        if (r == null || rosters.containsKey(r.group())) {
            return;
        }
        rosters.put(r.group(), r);
        if (roster == null) {
            roster = r;
        }
        List<Event> waiting = List.copyOf(waitingForRoster);
        waitingForRoster.clear();
        waiting.forEach(this::update);
    }

    private void update(Event event) {
        if (roster == null) {
            waitingForRoster.add(event);
            return;
        }
        FlChunk c = rejections.accept(event, FlChunkCodecs.decodeUpdateChunk(event, context()));
        if (c == null) {
            return;
        }
        boolean secure = task.privacy().equals("secagg");
        if (!c.encoding().equals(secure ? "u32le" : "f64le")) {
            rejections.count(event, "malformed_content", task.privacy() + " rounds carry " + (secure ? "u32le" : "f64le") + " updates");
            return;
        }
        if (secure) {
            streams.offer(event, c).ifPresent(w -> {
                int[] words = rejections.accept(event, FlChunking.words(w.bytes()));
                if (words == null) {
                    return;
                }
                if (words.length != task.model().parameters() + 1) {
                    rejections.count(event, "malformed_content", "masked input of " + c.from() + " has " + words.length + " words");
                } else if (maskedInputs.putIfAbsent(c.from(), words) != null) {
                    rejections.count(event, "duplicate", "second masked input from " + c.from());
                } else {
                    updateHashes.put(c.from(), c.wholeSha256());
                }
            });
            return;
        }
        streams.offer(event, c).flatMap(w -> ChunkStreams.doubles(event, w, rejections)).ifPresent(values -> {
            PlainRound.Input in = PlainRound.decode(values, task.model().parameters());
            if (in == null) {
                rejections.count(event, "malformed_content", "update of " + c.from() + " is not " + task.model().parameters()
                        + " values and a sample count");
            } else if (updates.containsKey(c.from())) {
                rejections.count(event, "duplicate", "second update from " + c.from());
            } else {
                updates.put(c.from(), in);
                updateHashes.put(c.from(), c.wholeSha256());
            }
        });
    }

    private void report(Event event) {
        if (task.validator().isEmpty() || !event.pubkey().equals(task.validator())) {
            rejections.count(event, "not_enrolled", "validation report not from the task's validator");
            return;
        }
        FlMessage.ValidationReport r = rejections.accept(event, FlReportCodecs.decodeValidationReport(event, context()));
        if (r != null && report == null) {
            report = r;
        }
    }

    private void checkpoint(Event event) {
        FlChunk c = rejections.accept(event, FlChunkCodecs.decodeCheckpointChunk(event, context(), task.aggregator()));
        if (c == null) {
            return;
        }
        streams.offer(event, c).flatMap(w -> ChunkStreams.doubles(event, w, rejections)).ifPresent(values -> {
            if (values.length != task.model().parameters()) {
                rejections.count(event, "malformed_content", "checkpoint has " + values.length + " parameters");
                return;
            }
            checkpoints.putIfAbsent(c.wholeSha256(), values);
            if (checkpoint == null) {
                checkpoint = values;
                checkpointSha256 = c.wholeSha256();
            }
        });
    }

    private void reward(Event event) {
        Optional.ofNullable(rejections.accept(event, FlReportCodecs.decodeReward(event, context(), coordinator)))
                .ifPresent(rewards::add);
    }

    /** The roster's participants in order. */
    List<String> rosterIds() {
        return rosters.values().stream().flatMap(r -> r.members().stream()).map(FlMessage.Member::participant).toList();
    }

    int enrollmentCount() {
        return enrollments.size();
    }

    /** The first {@code limit} enrolled participants, in the order they enrolled, as roster members. */
    List<FlMessage.Member> members(int limit) {
        return enrollments.values().stream().limit(limit).map(e -> new FlMessage.Member(e.participant(),
                enrolledKeys.get(e.participant()), e.cipherPublicKey(), e.maskPublicKey())).toList();
    }

    /** Plain updates by participant, sorted. */
    Map<String, PlainRound.Input> updates() {
        return Collections.unmodifiableMap(updates);
    }

    /** The named validator's report, once it came. */
    Optional<FlMessage.ValidationReport> report() {
        return Optional.ofNullable(report);
    }

    boolean rostered() {
        return roster != null;
    }

    /** The rosters by group id (one, {@code all}, in plain mode). */
    Map<String, FlMessage.Roster> rosters() {
        return Collections.unmodifiableMap(rosters);
    }

    /** The group roster that names {@code participant}, if any. */
    Optional<FlMessage.Roster> rosterOf(String participant) {
        return rosters.values().stream().filter(r -> r.members().stream().anyMatch(m -> m.participant().equals(participant)))
                .findFirst();
    }

    /** secagg: masked inputs by participant. */
    Map<String, int[]> maskedInputs() {
        return Collections.unmodifiableMap(maskedInputs);
    }

    /** How many inputs (plain updates or masked inputs) arrived. */
    int inputCount() {
        return task.privacy().equals("secagg") ? maskedInputs.size() : updates.size();
    }

    /** secagg: 4424 events as they came (a growing list: readers keep their own cursor). */
    List<Event> keyShares() {
        return Collections.unmodifiableList(keyShares);
    }

    List<Event> unmaskRequests() {
        return Collections.unmodifiableList(unmaskRequests);
    }

    List<Event> unmaskResponses() {
        return Collections.unmodifiableList(unmaskResponses);
    }

    Map<String, FlMessage.UnmaskReveal> reveals() {
        return Collections.unmodifiableMap(reveals);
    }

    boolean hasCheckpoint() {
        return checkpoint != null;
    }

    /** The first complete checkpoint of this round (null before one came). */
    double[] checkpoint() {
        return checkpoint == null ? null : checkpoint.clone();
    }

    String checkpointSha256() {
        return checkpointSha256;
    }

    /** The hashes of every complete checkpoint signed for this round. */
    List<String> checkpointHashes() {
        return List.copyOf(checkpoints.keySet());
    }

    List<FlMessage.RewardRecord> rewards() {
        return List.copyOf(rewards);
    }
}
