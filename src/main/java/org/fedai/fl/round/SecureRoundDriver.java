package org.fedai.fl.round;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fedai.fl.aggregation.Failure;
import org.fedai.fl.aggregation.WeightedUpdate;
import org.fedai.fl.model.Vectors;
import org.fedai.fl.secagg.Quantizer;
import org.fedai.fl.secagg.SecAggConfig;
import org.fedai.fl.secagg.SecAggMessage;
import org.fedai.fl.secagg.SecAggOutcome;
import org.fedai.fl.secagg.SecAggServer;

/**
 * One secure-aggregation round, the same for {@code fl simulate} (in process or through a relay) and for the
 * aggregator role: roster -> groups ({@link FederationStrategy#configureRound}) -> per group a SecAgg+ instance
 * whose phases run for all groups at once (shares, forwarding, masked inputs, unmasking) -> each group's exact
 * sum decoded to its weighted mean -> the strategy's rule over the group means -> each member's contribution.
 * {@code fl verify-round} recomputes the same from the published reveal ({@link #verify}). What carries the
 * messages is a {@link SecureChannel}; the client side is {@link #encode} plus a {@code SecAggClient}.
 */
public final class SecureRoundDriver {

    /** One group's SecAgg+ instance; {@code id} is what its roster (4421) and unmask request (4425) name. */
    public record Group(String id, SecAggConfig config) {
        public List<String> members() {
            return config.roster();
        }
    }

    /** A group's secure sum, dequantized: the weighted updates' sum and who is in it, or why there is none. */
    public sealed interface GroupSum {
        record Summed(double[] values, List<String> contributors) implements GroupSum {
        }

        record Aborted(String reason) implements GroupSum {
        }
    }

    /** How inputs are scaled: quantization range = the task's norm bound, weight = min(samples, cap) / cap. */
    public record Scale(double clip, int sampleCap) {
    }

    /** The dropout fraction secure groups are sized for across processes. */
    public static final double DROPOUT_TOLERANCE = 0.1;

    private final FederationStrategy strategy;
    private final Scale scale;

    public SecureRoundDriver(FederationStrategy strategy, Scale scale) {
        this.strategy = strategy;
        this.scale = scale;
    }

    public Scale scale() {
        return scale;
    }

    /**
     * The configuration every member derives from the published roster alone: session = task + group, graph
     * seed = sha256 of (task, round, group), degree and threshold from {@link SecAggConfig#forRoster}.
     */
    public static Group group(String task, int round, String id, List<String> members, int vectorLength, double dropoutTolerance) {
        byte[] seed = org.fedai.nostr.Sha256.hash(("fedai/secagg-graph/v1|" + task + "|" + round + "|" + id)
                .getBytes(StandardCharsets.UTF_8));
        return new Group(id, SecAggConfig.forRoster(task + "/" + id, round, members, vectorLength, dropoutTolerance,
                ByteBuffer.wrap(seed).getLong()));
    }

    /** The round's groups, {@code g0, g1, ...}, as the strategy splits the roster. */
    public List<Group> groups(String task, int round, List<String> roster, int vectorLength, double dropoutTolerance, long seed) {
        List<List<String>> split = strategy.configureRound(roster, seed);
        List<Group> out = new ArrayList<>();
        for (int k = 0; k < split.size(); k++) {
            out.add(group(task, round, "g" + k, split.get(k), vectorLength, dropoutTolerance));
        }
        return out;
    }

    /** A member's input before quantization: its clipped delta and weight as [w*delta, w*clip]. */
    public static double[] weighted(Scale scale, double[] clippedDelta, int samples) {
        double w = Math.min(samples, scale.sampleCap()) / (double) scale.sampleCap();
        double[] v = new double[clippedDelta.length + 1];
        for (int j = 0; j < clippedDelta.length; j++) {
            v[j] = w * clippedDelta[j];
        }
        v[clippedDelta.length] = w * scale.clip();
        return v;
    }

    /** {@link #weighted}, quantized for a group of {@code members}: what a member masks. */
    public static int[] encode(Scale scale, double[] clippedDelta, int samples, int members) {
        return new Quantizer(scale.clip(), members).encode(weighted(scale, clippedDelta, samples));
    }

    /** Runs the protocol phases of every group over the channel and returns each group's raw outcome. */
    public static Map<String, SecAggOutcome> sum(int round, List<Group> groups, SecureChannel channel) {
        Map<String, SecAggServer> servers = new LinkedHashMap<>();
        Map<String, String> groupOf = new HashMap<>();
        Map<String, List<SecAggMessage.EnrollmentKeys>> enrolled = new LinkedHashMap<>();
        for (Group g : groups) {
            SecAggServer server = new SecAggServer(g.config());
            channel.enrollments(g).forEach(k -> server.acceptEnrollment(k).ifPresent(channel::refused));
            enrolled.put(g.id(), server.enrolled());
            servers.put(g.id(), server);
            g.members().forEach(p -> groupOf.put(p, g.id()));
        }
        Map<String, List<SecAggMessage.EncryptedShare>> batches = channel.shares(groups, enrolled);
        batches.forEach((from, batch) -> {
            if (groupOf.containsKey(from)) {
                servers.get(groupOf.get(from)).acceptShares(from, batch).ifPresent(channel::refused);
            }
        });
        Map<String, List<SecAggMessage.EncryptedShare>> mail = new TreeMap<>();
        for (Group g : groups) {
            g.members().forEach(p -> mail.put(p, servers.get(g.id()).sharesFor(p))); // also closes the share phase
        }
        channel.forward(mail);
        channel.masked(round, Set.copyOf(batches.keySet())).forEach((p, words) -> {
            if (groupOf.containsKey(p)) {
                servers.get(groupOf.get(p)).acceptMasked(new SecAggMessage.MaskedUpdate(round, p, words)).ifPresent(channel::refused);
            }
        });
        Map<String, SecAggMessage.UnmaskRequest> requests = new LinkedHashMap<>();
        servers.forEach((g, server) -> server.unmaskRequest().ifPresent(r -> requests.put(g, r)));
        if (!requests.isEmpty()) {
            Set<String> answered = new java.util.HashSet<>();
            for (SecAggMessage.UnmaskResponse r : channel.unmask(requests)) {
                String g = groupOf.get(r.from());
                if (g != null && requests.containsKey(g) && answered.add(r.from())) {
                    servers.get(g).acceptUnmask(r).ifPresent(channel::refused);
                }
            }
        }
        Map<String, SecAggOutcome> outcomes = new LinkedHashMap<>();
        Map<String, SecAggServer.Reveal> reveals = new LinkedHashMap<>();
        servers.forEach((g, server) -> {
            outcomes.put(g, server.finish());
            server.reveal().ifPresent(r -> reveals.put(g, r));
        });
        if (!reveals.isEmpty()) {
            channel.reveal(reveals); // before the checkpoint: the sum it rests on is checkable first
        }
        return outcomes;
    }

    /** The whole round: groups summed over the channel, then combined by the strategy. */
    public SecureOutcome run(int round, List<Group> groups, SecureChannel channel, double[] global) {
        return combine(groups, decode(groups, sum(round, groups, channel), scale.clip()), global);
    }

    /**
     * What anyone can recompute from public material: each group's sum from its members' masked inputs and the
     * aggregator's reveal (a group without one counts as aborted, as it did for the aggregator), then the
     * same combination. {@code problems} gets every reveal that does not unmask its sum.
     */
    public SecureOutcome verify(List<Group> groups, Map<String, byte[]> maskPublicKeys, Map<String, int[]> masked,
                                Map<String, SecAggServer.Reveal> reveals, double[] global, List<String> problems) {
        Map<String, SecAggOutcome> outcomes = new LinkedHashMap<>();
        for (Group g : groups) {
            SecAggServer.Reveal reveal = reveals.get(g.id());
            if (reveal == null) {
                outcomes.put(g.id(), new SecAggOutcome.Aborted("no reveal published"));
                continue;
            }
            Map<String, int[]> mine = new HashMap<>(masked);
            mine.keySet().retainAll(g.members());
            Map<String, byte[]> keys = new HashMap<>(maskPublicKeys);
            keys.keySet().retainAll(g.members());
            SecAggOutcome o = SecAggServer.unmask(g.config(), keys, mine, reveal);
            if (o instanceof SecAggOutcome.Aborted a) {
                problems.add("the reveal of group " + g.id() + " does not unmask its sum: " + a.reason());
            }
            outcomes.put(g.id(), o);
        }
        return combine(groups, decode(groups, outcomes, scale.clip()), global);
    }

    /** The exact integer sums back to reals: each group was quantized for its own size. */
    public static Map<String, GroupSum> decode(List<Group> groups, Map<String, SecAggOutcome> outcomes, double range) {
        Map<String, GroupSum> out = new LinkedHashMap<>();
        for (Group g : groups) {
            switch (outcomes.get(g.id())) {
                case SecAggOutcome.Aborted a -> out.put(g.id(), new GroupSum.Aborted(a.reason()));
                case SecAggOutcome.Sum s -> out.put(g.id(), new GroupSum.Summed(
                        new Quantizer(range, g.members().size()).decodeSum(s.values(), s.contributors().size()),
                        s.contributors()));
            }
        }
        return out;
    }

    /**
     * Each group's sum to its weighted mean (the last value carries the group's weight), the mean cut to the
     * norm bound (a mean of clipped updates obeys it; a modified client's need not), the strategy over the
     * means; members of a used group share its part of the reward equally, their own weights hidden by design.
     */
    public SecureOutcome combine(List<Group> groups, Map<String, GroupSum> sums, double[] global) {
        int d = global.length;
        List<WeightedUpdate> results = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        Map<String, List<String>> contributors = new TreeMap<>();
        Set<String> unusable = new java.util.TreeSet<>();
        sums.forEach((g, sum) -> {
            switch (sum) {
                case GroupSum.Aborted a -> {
                    failures.add(new Failure(g, a.reason()));
                    excluded.put(g, "secure aggregation aborted: " + a.reason());
                    unusable.add(g);
                }
                case GroupSum.Summed s -> {
                    double weight = s.values()[d] / scale.clip();
                    if (!(weight > 0)) {
                        excluded.put(g, "group weight " + weight);
                        unusable.add(g);
                        return;
                    }
                    double[] mean = new double[d];
                    for (int j = 0; j < d; j++) {
                        mean[j] = s.values()[j] / weight;
                    }
                    Vectors.clipInPlace(mean, scale.clip());
                    results.add(new WeightedUpdate(g, mean, weight * scale.sampleCap()));
                    contributors.put(g, s.contributors());
                }
            }
        });
        Aggregation agg = strategy.aggregate(results, failures, global);
        agg.excluded().forEach(excluded::putIfAbsent);
        Map<String, Contribution> shares = new TreeMap<>();
        for (Group g : groups) {
            List<String> in = contributors.getOrDefault(g.id(), List.of());
            WeightedUpdate r = results.stream().filter(x -> x.source().equals(g.id())).findFirst().orElse(null);
            for (String m : g.members()) {
                boolean counted = r != null && agg.used().contains(g.id()) && in.contains(m);
                double share = counted ? agg.shares().getOrDefault(g.id(), 0.0) / in.size() : 0;
                shares.put(m, new Contribution(counted ? r.weight() / in.size() : 0, 1, share,
                        counted ? "secure group " + g.id() + " of " + in.size() : excluded.getOrDefault(g.id(), "no masked input")));
            }
        }
        return new SecureOutcome(new Aggregation(agg.parameters(), agg.used(), excluded, agg.shares()), sums, unusable, shares);
    }
}
