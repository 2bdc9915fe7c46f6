package org.fedai.fl.sim;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.fl.round.SecureRoundDriver;

/**
 * How one secure group's vectors are summed so that the aggregator learns only their sum: the privacy
 * mode of a task, chosen like a strategy. {@link MaskingSum} is SecAgg+ (pairwise masks, Shamir
 * recovery); {@link PaillierSum} is packed additive homomorphic encryption with a separate key holder.
 * Both take real vectors inside the declared range and return the sum of their quantized values, so
 * the simulator treats them alike; they differ in cost and in whom they trust (docs/FL-RESULTS.md).
 */
public interface SecureSum {

    /** {@code masking} or {@code paillier}, as {@code --privacy} spells it. */
    String name();

    Outcome sum(Group group, RoundTransport transport, SecureRandom random);

    /** The round's group sums with the traffic they caused. */
    record Sums(Map<String, SecureRoundDriver.GroupSum> sums, long messages, long bytes) {
    }

    /**
     * Every group of a round, members' inputs in {@code inputs} (absent: vanished before sending), {@code vanish}
     * disappearing mid-round. One group at a time unless the mode runs its groups' phases together.
     */
    default Sums sumAll(int round, List<SecureRoundDriver.Group> groups, Map<String, double[]> inputs, Set<String> vanish,
                        double range, double dropoutFraction, RoundTransport transport, SecureRandom random) {
        Map<String, SecureRoundDriver.GroupSum> out = new java.util.LinkedHashMap<>();
        long messages = 0;
        long bytes = 0;
        for (SecureRoundDriver.Group g : groups) {
            Map<String, double[]> mine = new java.util.HashMap<>(inputs);
            mine.keySet().retainAll(g.members());
            Set<String> gone = new java.util.HashSet<>(vanish);
            gone.retainAll(g.members());
            Outcome o = sum(new Group(g.config().session(), round, g.members(), mine, gone, range, g.config().vectorLength(),
                    dropoutFraction, g.config().graphSeed()), transport, random);
            messages += o.messages();
            bytes += o.bytes();
            out.put(g.id(), switch (o) {
                case Outcome.Sum s -> new SecureRoundDriver.GroupSum.Summed(s.values(), s.contributors());
                case Outcome.Aborted a -> new SecureRoundDriver.GroupSum.Aborted(name() + " aborted: " + a.reason());
            });
        }
        return new Sums(out, messages, bytes);
    }

    /**
     * One group of one round.
     *
     * @param inputs          each member's clipped, weighted vector, every coordinate in [-range, range];
     *                        a member without an entry vanished before it could send
     * @param vanish          members that disappear mid-round (after key sharing, for masking)
     * @param dropoutFraction the declared dropout rate the protocol must survive
     * @param seed            public randomness of the round (the masking neighbourhood graph)
     */
    record Group(String session, int round, List<String> members, Map<String, double[]> inputs, Set<String> vanish,
                 double range, int vectorLength, double dropoutFraction, long seed) {
        public Group {
            members = List.copyOf(members);
            inputs = Map.copyOf(inputs);
            vanish = Set.copyOf(vanish);
        }
    }

    /** How it ended, with the traffic it caused (messages and raw payload bytes, before event framing). */
    sealed interface Outcome {
        long messages();

        long bytes();

        /** The sum of the contributors' dequantized inputs. */
        record Sum(double[] values, List<String> contributors, long messages, long bytes) implements Outcome {
        }

        /** Too few inputs to sum without exposing one; nothing was revealed. */
        record Aborted(String reason, long messages, long bytes) implements Outcome {
        }
    }

    static SecureSum named(String name, int paillierBits) {
        return switch (name) {
            case "masking" -> new MaskingSum();
            case "paillier" -> PaillierSum.withFreshKey(paillierBits, org.fedai.fl.he.HeConfig.DEFAULT_VALUE_BITS, new SecureRandom());
            default -> throw new IllegalArgumentException("unknown privacy mode '" + name + "', expected masking|paillier");
        };
    }
}
