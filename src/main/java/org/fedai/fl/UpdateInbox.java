package org.fedai.fl;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedai.fl.model.Vectors;

/**
 * The aggregator's intake for plain updates of one round: refuses (with a reason, counted) updates
 * for another round, from participants not enrolled, second copies, wrong lengths, non-finite
 * values and empty sample counts. Duplicates are normal on Nostr (several relays deliver the same
 * event), so a repeat is refused, never fatal.
 */
public final class UpdateInbox {

    private final int round;
    private final Set<String> enrolled;
    private final int length;
    private final Map<String, PlainUpdate> accepted = new LinkedHashMap<>();
    private final Map<Rejection.Reason, Integer> rejected = new EnumMap<>(Rejection.Reason.class);

    public UpdateInbox(int round, Set<String> enrolled, int length) {
        this.round = round;
        this.enrolled = Set.copyOf(enrolled);
        this.length = length;
    }

    public Optional<Rejection> offer(PlainUpdate u) {
        Optional<Rejection> r = check(u);
        r.ifPresentOrElse(x -> rejected.merge(x.reason(), 1, Integer::sum), () -> accepted.put(u.from(), u));
        return r;
    }

    private Optional<Rejection> check(PlainUpdate u) {
        if (u.round() != round) {
            return Optional.of(Rejection.of(Rejection.Reason.WRONG_ROUND, "update for round " + u.round() + ", this is round " + round));
        }
        if (!enrolled.contains(u.from())) {
            return Optional.of(Rejection.of(Rejection.Reason.NOT_ENROLLED, u.from() + " is not enrolled in round " + round));
        }
        if (accepted.containsKey(u.from())) {
            return Optional.of(Rejection.of(Rejection.Reason.DUPLICATE, "second update from " + u.from() + " in round " + round));
        }
        if (u.delta() == null || u.delta().length != length) {
            return Optional.of(Rejection.of(Rejection.Reason.WRONG_LENGTH, "update has " + (u.delta() == null ? 0 : u.delta().length)
                    + " values, model has " + length));
        }
        if (!Vectors.allFinite(u.delta())) {
            return Optional.of(Rejection.of(Rejection.Reason.NOT_FINITE, "update from " + u.from() + " contains NaN or infinity"));
        }
        if (u.samples() < 1) {
            return Optional.of(Rejection.of(Rejection.Reason.MALFORMED, "update from " + u.from() + " claims " + u.samples() + " samples"));
        }
        return Optional.empty();
    }

    public List<PlainUpdate> accepted() {
        return List.copyOf(accepted.values());
    }

    public Map<Rejection.Reason, Integer> rejectionCounts() {
        return Map.copyOf(rejected);
    }
}
