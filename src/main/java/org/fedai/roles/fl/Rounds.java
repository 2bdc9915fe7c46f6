package org.fedai.roles.fl;

import java.util.Map;
import java.util.TreeMap;
import org.fedai.nostr.Event;
import org.fedai.protocol.FederationTask;

/**
 * Routes a task's round events to the {@link RoundState} of their round. The previous round stays open
 * for its outcome (its checkpoint opens the current one) and the next round may start early (a fast node enrolls as soon as
 * it sees the checkpoint); anything older is a late or replayed event and is refused as {@code wrong_round}.
 */
final class Rounds {

    private final FederationTask task;
    private final String coordinator;
    private final RejectionCounts rejections;
    private final Map<Integer, RoundState> states = new TreeMap<>();
    private int current;

    Rounds(FederationTask task, String coordinator, RejectionCounts rejections) {
        this.task = task;
        this.coordinator = coordinator;
        this.rejections = rejections;
    }

    RoundState state(int round) {
        return states.computeIfAbsent(round, r -> new RoundState(task, coordinator, r, rejections));
    }

    /** Moves to {@code round}; states older than the previous round are dropped. */
    void advance(int round) {
        current = round;
        states.keySet().removeIf(r -> r < round - 1);
    }

    void offer(Event event) {
        if (event.kind() < 4420 || event.kind() > 4439 || event.kind() == 4422) {
            return;
        }
        int round;
        try {
            round = Integer.parseInt(event.firstTagValue("round").orElse(""));
        } catch (NumberFormatException e) {
            rejections.count(event, "malformed_tag", "round tag missing or not an integer");
            return;
        }
        // of the previous round only its outcome (report, checkpoint, rewards) still matters: any other
        // event for it is late or replayed
        boolean closed = round == current - 1 && event.kind() < 4427; // 4427..4430 are a round's outcome
        if (closed || round < current - 1 || round > current + 1 || round > task.rounds()) {
            rejections.count(event, "wrong_round", "event for round " + round + " while in round " + current);
            return;
        }
        state(round).offer(event);
    }
}
