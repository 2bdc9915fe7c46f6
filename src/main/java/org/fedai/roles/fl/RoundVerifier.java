package org.fedai.roles.fl;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedai.fl.Checkpoint;
import org.fedai.fl.secagg.SecAggConfig;
import org.fedai.fl.secagg.SecAggOutcome;
import org.fedai.fl.secagg.SecAggServer;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Event;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FederationTaskCodec;
import org.fedai.protocol.FlMessage;

/**
 * {@code fedai fl verify-round}: anyone can recompute a round from what the relay holds, the task, the
 * previous checkpoint, the roster, every update and the named validator's report (plain), or the masked
 * inputs and the aggregator's unmask reveal (secagg), with the aggregator's own code path
 * ({@link PlainRound}, {@link SecureGroups#combine}), and check that every checkpoint the aggregator signed
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

    /**
     * secagg: each group's sum from its members' public masked inputs and the aggregator's 4430 reveal, then
     * the aggregator's own combination of group means. A group without a reveal counts as aborted, as it
     * would have for the aggregator; a reveal that does not unmask is a problem.
     */
    private static PlainRound.Outcome secure(FederationTask task, int round, RoundState state, double[] global,
                                             List<String> problems) {
        Map<String, SecAggOutcome> outcomes = new java.util.LinkedHashMap<>();
        state.rosters.forEach((g, roster) -> {
            FlMessage.UnmaskReveal reveal = state.reveals.get(g);
            if (reveal == null) {
                outcomes.put(g, new SecAggOutcome.Aborted("no reveal published"));
                return;
            }
            List<String> ids = roster.members().stream().map(FlMessage.Member::participant).toList();
            SecAggConfig cfg = SecAggWire.config(state.context().task(), round, g, ids, task.model().parameters() + 1);
            Map<String, byte[]> maskKeys = new java.util.HashMap<>();
            roster.members().forEach(m -> maskKeys.put(m.participant(), Hex.decode(m.maskPublicKey())));
            Map<String, int[]> masked = new java.util.HashMap<>(state.maskedInputs);
            masked.keySet().retainAll(ids);
            SecAggOutcome o = SecAggServer.unmask(cfg, maskKeys, masked, new SecAggServer.Reveal(reveal.survivors(),
                    reveal.dropped(), bytes(reveal.selfMaskSeeds()), bytes(reveal.maskKeys())));
            if (o instanceof SecAggOutcome.Aborted a) {
                problems.add("the reveal of group " + g + " does not unmask its sum: " + a.reason());
            }
            outcomes.put(g, o);
        });
        return SecureGroups.combine(task, state.rosters, global, outcomes);
    }

    private static Map<String, byte[]> bytes(Map<String, String> hex) {
        Map<String, byte[]> out = new java.util.HashMap<>();
        hex.forEach((k, v) -> out.put(k, Hex.decode(v)));
        return out;
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
            // history comes back in any order: rosters first, so every update meets the roster that binds its sender
            feed.all().stream().sorted(java.util.Comparator.comparingInt(e -> e.kind() == 4421 ? 0 : 1)).forEach(rounds::offer);
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
            boolean secure = task.privacy().equals("secagg");
            if (!secure && !task.validator().isEmpty() && state.report == null) {
                problems.add("no report from the task's validator");
            }
            if (!problems.isEmpty()) {
                return new Verdict(round, "", List.copyOf(state.checkpoints.keySet()), List.of(), Optional.empty(), problems, rejections.snapshot());
            }
            PlainRound.Outcome outcome = secure ? secure(task, round, state, previous.checkpoint, problems)
                    : PlainRound.run(task, previous.checkpoint, state.updates, state.report, state.rosterIds());
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
                boolean used = secure ? state.reveals.values().stream().anyMatch(r -> outcome.used().contains(r.group())
                        && r.survivors().contains(id)) : outcome.used().contains(id);
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
