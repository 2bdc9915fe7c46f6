package org.fedai.roles.fl;

import org.fedai.domain.PublicKey;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedai.fl.Checkpoint;
import org.fedai.fl.round.SecureOutcome;
import org.fedai.fl.round.SecureRoundDriver;
import org.fedai.fl.secagg.SecAggServer;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Event;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FederationTaskCodec;
import org.fedai.protocol.FlMessage;

/**
 * {@code fedai fl verify-round}: anyone can recompute a round from what the relay holds, the task, the
 * previous checkpoint, the roster, every update and the named validator's report (plain), or the masked
 * inputs and the aggregator's unmask reveal (secagg), with the aggregator's own code path
 * ({@link PlainRound}, {@link SecureRoundDriver#verify}), and check that every checkpoint the aggregator signed
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
     * secagg: the round driver's own recomputation from the members' public masked inputs and the aggregator's
     * 4430 reveals, with the task's strategy: a group without a reveal counts as aborted, as it would have for the
     * aggregator; a reveal that does not unmask is a problem.
     */
    private static SecureOutcome secure(FederationTask task, RoundState state, double[] global, List<String> problems) {
        Map<String, byte[]> maskKeys = new java.util.HashMap<>();
        state.rosters().values().forEach(r -> r.members().forEach(m -> maskKeys.put(m.participant(), Hex.decode(m.maskPublicKey()))));
        Map<String, SecAggServer.Reveal> reveals = new java.util.HashMap<>();
        state.reveals().forEach((g, r) -> reveals.put(g, SecAggWire.reveal(r)));
        SecureRoundDriver driver = new SecureRoundDriver(AggregatorRole.strategy(task, null),
                new SecureRoundDriver.Scale(task.clipNorm(), task.training().sampleCap()));
        return driver.verify(RelayChannel.groups(task, state), maskKeys, state.maskedInputs(), reveals, global, problems);
    }

    public static Verdict verify(RelayPort pool, PublicKey coordinator, String taskId, int round,
                                 PublicKey mine, Duration timeout) throws InterruptedException {
        return verify(pool, coordinator, taskId, round, mine, timeout, InstantSource.system());
    }

    /** As above, the task's expiry judged by {@code clock}. */
    public static Verdict verify(RelayPort pool, PublicKey coordinator, String taskId, int round,
                                 PublicKey mine, Duration timeout, InstantSource clock) throws InterruptedException {
        RejectionCounts rejections = new RejectionCounts();
        List<String> problems = new ArrayList<>();
        try (TaskFeed feed = new TaskFeed(pool, coordinator.hex(), taskId, clock)) {
            if (!feed.awaitStored(timeout)) {
                problems.add("the relay did not finish sending stored events within " + timeout);
            }
            FederationTask task = null;
            for (Event e : feed.all()) {
                if (e.kind() == 31410 && task == null) {
                    task = rejections.accept(e, FederationTaskCodec.decode(e, clock.instant().getEpochSecond()));
                }
            }
            if (task == null) {
                return new Verdict(round, "", List.of(), List.of(), Optional.empty(), List.of("no valid task " + taskId), rejections.snapshot());
            }
            if (round < 1 || round > task.rounds()) {
                return new Verdict(round, "", List.of(), List.of(), Optional.empty(),
                        List.of("round " + round + " outside 1.." + task.rounds()), rejections.snapshot());
            }
            Rounds rounds = new Rounds(task, coordinator.hex(), rejections);
            rounds.advance(round);
            // history comes back in any order: rosters first, so every update meets the roster that binds its sender
            feed.all().stream().sorted(java.util.Comparator.comparingInt(e -> e.kind() == FedaiKind.FL_ROSTER.number() ? 0 : 1)).forEach(rounds::offer);
            RoundState previous = rounds.state(round - 1);
            RoundState state = rounds.state(round);
            if (!previous.hasCheckpoint()) {
                problems.add("no checkpoint of round " + (round - 1));
            } else if (previous.checkpointHashes().size() > 1) {
                problems.add("conflicting checkpoints of round " + (round - 1) + ": " + previous.checkpointHashes());
            } else if (round == 1 && !previous.checkpointSha256().equals(task.model().initialSha256())) {
                problems.add("initial checkpoint differs from the task's initial_sha256");
            }
            if (!state.rostered()) {
                problems.add("no roster for round " + round);
            }
            boolean secure = task.privacy().equals("secagg");
            if (!secure && !task.validator().isEmpty() && state.report().isEmpty()) {
                problems.add("no report from the task's validator");
            }
            if (!problems.isEmpty()) {
                return new Verdict(round, "", state.checkpointHashes(), List.of(), Optional.empty(), problems, rejections.snapshot());
            }
            double[] parameters;
            List<String> used;
            Map<String, String> excluded;
            try {
                if (secure) {
                    SecureOutcome outcome = secure(task, state, previous.checkpoint(), problems);
                    parameters = outcome.parameters();
                    used = outcome.aggregation().used();
                    excluded = outcome.aggregation().excluded();
                } else {
                    PlainRound.Outcome outcome = PlainRound.run(task, AggregatorRole.strategy(task, null), previous.checkpoint(),
                            state.updates(), state.report().orElse(null), state.rosterIds());
                    parameters = outcome.parameters();
                    used = outcome.used();
                    excluded = outcome.excluded();
                }
            } catch (IllegalArgumentException unrunnable) { // a task whose rule cannot run on what the round published
                problems.add(unrunnable.getMessage());
                return new Verdict(round, "", state.checkpointHashes(), List.of(), Optional.empty(), problems, rejections.snapshot());
            }
            String recomputed = Checkpoint.hash(parameters);
            if (state.checkpointHashes().isEmpty()) {
                problems.add("no checkpoint published for round " + round);
            }
            for (String published : state.checkpointHashes()) {
                if (!published.equals(recomputed)) {
                    problems.add("published checkpoint " + published + " differs from the recomputed " + recomputed);
                }
            }
            Optional<Boolean> ownIncluded = Optional.empty();
            if (mine != null) {
                String id = RoundState.participantId(mine.hex());
                boolean mineUsed = secure ? state.reveals().values().stream().anyMatch(r -> used.contains(r.group())
                        && r.survivors().contains(id)) : used.contains(id);
                ownIncluded = Optional.of(mineUsed);
                if (!mineUsed) {
                    problems.add("own update " + id + " not included: "
                            + excluded.getOrDefault(id, state.updates().containsKey(id) ? "not used" : "no update on the relay"));
                }
            }
            for (FlMessage.RewardRecord r : state.rewards()) {
                if (!r.checkpointSha256().equals(recomputed)) {
                    problems.add("reward of " + r.participant() + " cites checkpoint " + r.checkpointSha256());
                }
            }
            return new Verdict(round, recomputed, state.checkpointHashes(), used, ownIncluded, problems, rejections.snapshot());
        }
    }
}
