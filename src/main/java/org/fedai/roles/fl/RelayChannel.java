package org.fedai.roles.fl;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fedai.fl.Rejection;
import org.fedai.fl.round.SecureChannel;
import org.fedai.fl.round.SecureRoundDriver;
import org.fedai.fl.secagg.SecAggMessage;
import org.fedai.fl.secagg.SecAggServer;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FlContext;
import org.fedai.protocol.FlMessage;
import org.fedai.protocol.FlRoundCodecs;

/**
 * The aggregator's {@link SecureChannel} over the relay, for one round: each phase reads the task's events
 * until what it waits for has come or the task's deadline for it passed (SHARE: every member's sealed 4424
 * batch, enroll_s; MASK: u32le 4423, update_s; UNMASK: sealed 4426 answers to the 4425 requests, unmask_s),
 * and publishes what the driver sends (forwarded 4424, 4425, the 4430 reveal). Everything it consumes is on
 * the relay under the aggregator's key, so a restarted aggregator replays the round and does not publish twice.
 * An interrupt ends the current phase with what arrived; the role sees the flag and stops.
 */
final class RelayChannel implements SecureChannel {

    private final FederationTask task;
    private final KeyPair keys;
    private final TaskFeed feed;
    private final Rounds rounds;
    private final FlPublisher publisher;
    private final RejectionCounts rejections;
    private final RoundState state;
    private final int round;
    private final InstantSource clock;
    private final boolean forwarded;
    private final boolean requested;

    RelayChannel(FederationTask task, KeyPair keys, TaskFeed feed, Rounds rounds, FlPublisher publisher,
                 RejectionCounts rejections, RoundState state, InstantSource clock) {
        this.task = task;
        this.keys = keys;
        this.feed = feed;
        this.rounds = rounds;
        this.publisher = publisher;
        this.rejections = rejections;
        this.state = state;
        this.round = state.round();
        this.clock = clock;
        // a restarted aggregator fed its journaled events back into the state: its forwards are among them
        this.forwarded = state.keyShares().stream().anyMatch(e -> e.pubkey().equals(keys.publicKey()));
        this.requested = state.unmaskRequests().stream().anyMatch(e -> e.pubkey().equals(keys.publicKey()));
    }

    /** The round's groups as its published rosters define them. */
    static List<SecureRoundDriver.Group> groups(FederationTask task, RoundState state) {
        String address = state.context().task();
        List<SecureRoundDriver.Group> out = new ArrayList<>();
        state.rosters().forEach((g, r) -> out.add(SecureRoundDriver.group(address, state.round(), g,
                r.members().stream().map(FlMessage.Member::participant).toList(), task.model().parameters() + 1,
                SecureRoundDriver.DROPOUT_TOLERANCE)));
        return out;
    }

    @Override
    public List<SecAggMessage.EnrollmentKeys> enrollments(SecureRoundDriver.Group group) {
        return state.rosters().get(group.id()).members().stream().map(m -> SecAggWire.enrollment(round, m)).toList();
    }

    @Override
    public Map<String, List<SecAggMessage.EncryptedShare>> shares(List<SecureRoundDriver.Group> groups,
                                                                    Map<String, List<SecAggMessage.EnrollmentKeys>> enrolled) {
        Map<String, SecureRoundDriver.Group> groupOf = new HashMap<>();
        groups.forEach(g -> g.members().forEach(p -> groupOf.put(p, g)));
        Map<String, Map<String, SecAggMessage.EncryptedShare>> batches = new TreeMap<>();
        int[] cursor = {0};
        await(() -> {
            List<Event> shares = state.keyShares();
            for (; cursor[0] < shares.size(); cursor[0]++) {
                Event e = shares.get(cursor[0]);
                if (e.pubkey().equals(keys.publicKey()) || !keys.publicKey().equals(e.firstTagValue("p").orElse(""))) {
                    continue; // our own forwards, sealed to members
                }
                FlMessage.KeyShare s = rejections.accept(e, FlRoundCodecs.decodeKeyShare(e, state.context(), keys, keys.publicKey()));
                if (s != null) {
                    batches.computeIfAbsent(s.from(), k -> new TreeMap<>()).putIfAbsent(s.to(), SecAggWire.keyShare(s));
                }
            }
            return groupOf.keySet().stream().allMatch(p -> whole(batches.get(p), p, groupOf.get(p)));
        }, task.deadlines().enrollSeconds());
        Map<String, List<SecAggMessage.EncryptedShare>> out = new TreeMap<>();
        batches.forEach((from, b) -> {
            if (groupOf.containsKey(from) && whole(b, from, groupOf.get(from))) {
                out.put(from, List.copyOf(b.values()));
            }
        });
        return out;
    }

    /** A batch is whole when it holds a share for each of the sender's neighbours. */
    private static boolean whole(Map<String, SecAggMessage.EncryptedShare> batch, String from, SecureRoundDriver.Group g) {
        return batch != null && batch.size() >= g.config().graph().of(g.config().indexOf().get(from)).size();
    }

    @Override
    public void forward(Map<String, List<SecAggMessage.EncryptedShare>> byAddressee) {
        if (forwarded) {
            return; // a restarted aggregator republished its journaled forwards already
        }
        FlContext ctx = state.context();
        List<UnsignedEvent> out = new ArrayList<>();
        state.rosters().values().forEach(r -> r.members().forEach(m -> byAddressee.getOrDefault(m.participant(), List.of())
                .forEach(s -> out.add(FlRoundCodecs.encodeKeyShare(SecAggWire.keyShare(s), ctx, keys, m.pubkey(), now())))));
        publisher.publish(round, out);
    }

    @Override
    public Map<String, int[]> masked(int n, Set<String> expected) {
        await(() -> state.maskedInputs().keySet().containsAll(expected), task.deadlines().updateSeconds());
        return Map.copyOf(state.maskedInputs());
    }

    @Override
    public List<SecAggMessage.UnmaskResponse> unmask(Map<String, SecAggMessage.UnmaskRequest> requests) {
        if (!requested) {
            publisher.publish(round, requests.entrySet().stream().map(e -> FlRoundCodecs.encodeUnmaskRequest(
                    SecAggWire.unmaskRequest(e.getValue(), e.getKey()), state.context(), now())).toList());
        }
        Set<String> survivors = new java.util.HashSet<>();
        requests.values().forEach(r -> survivors.addAll(r.survivors()));
        Map<String, SecAggMessage.UnmaskResponse> answers = new TreeMap<>();
        int[] read = {0};
        await(() -> {
            List<Event> responses = state.unmaskResponses();
            for (; read[0] < responses.size(); read[0]++) {
                FlMessage.UnmaskResponse r = rejections.accept(responses.get(read[0]), FlRoundCodecs.decodeUnmaskResponse(responses.get(read[0]),
                        state.context(), keys));
                if (r != null && survivors.contains(r.from())) {
                    answers.putIfAbsent(r.from(), SecAggWire.unmaskResponse(r));
                }
            }
            return answers.keySet().containsAll(survivors);
        }, task.deadlines().unmaskSeconds());
        return List.copyOf(answers.values());
    }

    @Override
    public void reveal(Map<String, SecAggServer.Reveal> reveals) {
        if (state.reveals().isEmpty()) {
            publisher.publish(round, reveals.entrySet().stream().map(e -> FlRoundCodecs.encodeUnmaskReveal(
                    SecAggWire.reveal(round, e.getKey(), e.getValue()), state.context(), now())).toList());
        }
    }

    @Override
    public void refused(Rejection rejection) {
        rejections.count(rejection);
    }

    private void await(java.util.function.BooleanSupplier done, long seconds) {
        try {
            feed.until(rounds::offer, done, clock.instant().plusSeconds(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
