package org.fedai.roles.fl;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedai.fl.Checkpoint;
import org.fedai.nostr.Event;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FederationTaskCodec;
import org.fedai.protocol.FlMessage;

/**
 * {@code fedai fl verify-round}: anyone can recompute a plain round from what the relay holds, the task,
 * the previous checkpoint, the roster, every update and the named validator's report, with the
 * aggregator's own code path ({@link PlainRound}), and check that every checkpoint the aggregator signed
 * for the round has the recomputed hash. A participant can also check that its update was used.
 */
public final class RoundVerifier {

    /**
     * @param mineIncluded empty without {@code mine}; else whether that participant's update was used
     * @param problems     why the round does not verify; empty when it does
     */
    public record Verdict(int round, String recomputedSha256, List<String> publishedSha256, List<String> used,
                          Optional<Boolean> mineIncluded, List<String> problems, Map<String, Long> refused) {
        public boolean verified() {
            return problems.isEmpty();
        }
    }

    private RoundVerifier() {
    }

    public static Verdict verify(RelayPool pool, String coordinator, String taskId, int round, String minePubkey,
                                 Duration timeout) throws InterruptedException {
        RejectionCounts rejections = new RejectionCounts();
        List<String> problems = new ArrayList<>();
        try (TaskFeed feed = new TaskFeed(pool, coordinator, taskId)) {
            if (!feed.awaitStored(timeout)) {
                problems.add("the relay did not finish sending stored events within " + timeout);
            }
            FederationTask task = null;
            for (Event e : feed.all()) {
                if (e.kind() == 31410 && task == null) {
                    task = rejections.accept(FederationTaskCodec.decode(e, Instant.now().getEpochSecond()));
                }
            }
            if (task == null) {
                return new Verdict(round, "", List.of(), List.of(), Optional.empty(), List.of("no valid task " + taskId), rejections.snapshot());
            }
            if (round < 1 || round > task.rounds()) {
                return new Verdict(round, "", List.of(), List.of(), Optional.empty(),
                        List.of("round " + round + " outside 1.." + task.rounds()), rejections.snapshot());
            }
            Rounds rounds = new Rounds(task, coordinator, rejections);
            rounds.advance(round);
            feed.all().forEach(rounds::offer);
            RoundState previous = rounds.state(round - 1);
            RoundState state = rounds.state(round);
            if (previous.checkpoint == null) {
                problems.add("no checkpoint of round " + (round - 1));
            } else if (previous.checkpoints.size() > 1) {
                problems.add("conflicting checkpoints of round " + (round - 1) + ": " + previous.checkpoints.keySet());
            } else if (round == 1 && !previous.checkpointSha256.equals(task.model().initialSha256())) {
                problems.add("initial checkpoint differs from the task's initial_sha256");
            }
            if (state.roster == null) {
                problems.add("no roster for round " + round);
            }
            if (!task.validator().isEmpty() && state.report == null) {
                problems.add("no report from the task's validator");
            }
            if (!problems.isEmpty()) {
                return new Verdict(round, "", List.copyOf(state.checkpoints.keySet()), List.of(), Optional.empty(), problems, rejections.snapshot());
            }
            PlainRound.Outcome outcome = PlainRound.run(task, previous.checkpoint, state.updates, state.report, state.rosterIds());
            String recomputed = Checkpoint.hash(outcome.parameters());
            if (state.checkpoints.isEmpty()) {
                problems.add("no checkpoint published for round " + round);
            }
            for (String published : state.checkpoints.keySet()) {
                if (!published.equals(recomputed)) {
                    problems.add("published checkpoint " + published + " differs from the recomputed " + recomputed);
                }
            }
            Optional<Boolean> mine = Optional.empty();
            if (minePubkey != null) {
                String id = RoundState.participantId(minePubkey);
                boolean used = outcome.used().contains(id);
                mine = Optional.of(used);
                if (!used) {
                    problems.add("own update " + id + " not included: "
                            + outcome.excluded().getOrDefault(id, state.updates.containsKey(id) ? "not used" : "no update on the relay"));
                }
            }
            for (FlMessage.RewardRecord r : state.rewards) {
                if (!r.checkpointSha256().equals(recomputed)) {
                    problems.add("reward of " + r.participant() + " cites checkpoint " + r.checkpointSha256());
                }
            }
            return new Verdict(round, recomputed, List.copyOf(state.checkpoints.keySet()), outcome.used(), mine, problems, rejections.snapshot());
        }
    }
}
