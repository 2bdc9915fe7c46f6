package org.fedai.roles.fl;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedai.fl.aggregation.Aggregate;
import org.fedai.fl.aggregation.Failure;
import org.fedai.fl.aggregation.WeightedUpdate;
import org.fedai.fl.model.Vectors;
import org.fedai.fl.secagg.Quantizer;
import org.fedai.fl.secagg.SecAggConfig;
import org.fedai.fl.secagg.SecAggMessage;
import org.fedai.fl.secagg.SecAggOutcome;
import org.fedai.fl.secagg.SecAggServer;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FlContext;
import org.fedai.protocol.FlMessage;
import org.fedai.protocol.FlRoundCodecs;

/**
 * The aggregator's side of a secagg round across processes: one {@link SecAggServer} per group, fed only
 * from relay events. Phases run for all groups at once: SHARE (each member's 4424 batch, sealed to the
 * aggregator, until every batch is whole or enroll_s), FORWARD (each share re-sealed to its addressee),
 * MASK (u32le 4423 until update_s), UNMASK (4425 out, sealed 4426 back until unmask_s), then each group's
 * exact sum decodes to its weighted mean and the task's robust rule combines the group means. Everything
 * it consumes is on the relay under the aggregator's key, so a restarted aggregator replays it.
 */
final class SecureGroups {

    private final FederationTask task;
    private final KeyPair keys;
    private final TaskFeed feed;
    private final Rounds rounds;
    private final FlPublisher publisher;
    private final RejectionCounts rejections;

    SecureGroups(FederationTask task, KeyPair keys, TaskFeed feed, Rounds rounds, FlPublisher publisher,
                 RejectionCounts rejections) {
        this.task = task;
        this.keys = keys;
        this.feed = feed;
        this.rounds = rounds;
        this.publisher = publisher;
        this.rejections = rejections;
    }

    /** Splits the members into groups of at least group_size (remainder spread), shuffled by a public seed. */
    static List<List<FlMessage.Member>> groups(List<FlMessage.Member> members, int groupSize, long seed) {
        List<FlMessage.Member> order = new ArrayList<>(members);
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        int count = Math.max(1, order.size() / groupSize);
        List<List<FlMessage.Member>> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < order.size(); i++) {
            out.get(i % count).add(order.get(i));
        }
        return out;
    }

    PlainRound.Outcome run(int n, RoundState state, double[] global) throws InterruptedException {
        int d = task.model().parameters();
        // a restarted aggregator fed its journaled events back into the state: its forwards are among them
        boolean forwarded = state.keyShares.stream().anyMatch(e -> e.pubkey().equals(keys.publicKey()));
        boolean requested = state.unmaskRequests.stream().anyMatch(e -> e.pubkey().equals(keys.publicKey()));
        Map<String, SecAggServer> servers = new LinkedHashMap<>();
        Map<String, SecAggConfig> configs = new LinkedHashMap<>();
        Map<String, String> groupOf = new HashMap<>();
        String address = state.context().task();
        state.rosters.forEach((g, r) -> {
            List<String> ids = r.members().stream().map(FlMessage.Member::participant).toList();
            SecAggConfig cfg = SecAggWire.config(address, n, g, ids, d + 1);
            SecAggServer server = new SecAggServer(cfg);
            r.members().forEach(m -> server.acceptEnrollment(SecAggWire.enrollment(n, m)));
            server.enrolled();
            servers.put(g, server);
            configs.put(g, cfg);
            ids.forEach(p -> groupOf.put(p, g));
        });
        // SHARE: batches by sender; a batch is whole when it holds a share for each neighbour
        Map<String, Map<String, SecAggMessage.EncryptedShare>> batches = new TreeMap<>();
        int[] cursor = {0};
        Runnable readShares = () -> {
            for (; cursor[0] < state.keyShares.size(); cursor[0]++) {
                Event e = state.keyShares.get(cursor[0]);
                if (e.pubkey().equals(keys.publicKey()) || !keys.publicKey().equals(e.firstTagValue("p").orElse(""))) {
                    continue; // our own forwards, sealed to members
                }
                FlMessage.KeyShare s = rejections.accept(FlRoundCodecs.decodeKeyShare(e, state.context(), keys, keys.publicKey()));
                if (s != null) {
                    batches.computeIfAbsent(s.from(), k -> new TreeMap<>()).putIfAbsent(s.to(), SecAggWire.keyShare(s));
                }
            }
        };
        feed.until(rounds::offer, () -> {
            readShares.run();
            return groupOf.keySet().stream().allMatch(p -> whole(batches, p, configs.get(groupOf.get(p))));
        }, deadline(task.deadlines().enrollSeconds()));
        batches.forEach((from, b) -> {
            if (whole(batches, from, configs.get(groupOf.get(from)))) {
                servers.get(groupOf.get(from)).acceptShares(from, List.copyOf(b.values()))
                        .ifPresent(rejections::count);
            }
        });
        // FORWARD: once; a restarted aggregator republished its journaled forwards already
        if (!forwarded) {
            FlContext ctx = state.context();
            List<UnsignedEvent> out = new ArrayList<>();
            state.rosters.forEach((g, r) -> r.members().forEach(m -> servers.get(g).sharesFor(m.participant()).forEach(s ->
                    out.add(FlRoundCodecs.encodeKeyShare(SecAggWire.keyShare(s), ctx, keys, m.pubkey(), now())))));
            publisher.publish(n, out);
        }
        servers.values().forEach(s -> s.sharesFor("")); // closes the share phase of every group, forwarded or not
        // MASK
        feed.until(rounds::offer, () -> state.maskedInputs.keySet().containsAll(batches.keySet()),
                deadline(task.deadlines().updateSeconds()));
        state.maskedInputs.forEach((p, words) -> {
            if (groupOf.containsKey(p)) {
                servers.get(groupOf.get(p)).acceptMasked(new SecAggMessage.MaskedUpdate(n, p, words)).ifPresent(rejections::count);
            }
        });
        // UNMASK
        Map<String, SecAggMessage.UnmaskRequest> requests = new LinkedHashMap<>();
        List<UnsignedEvent> asks = new ArrayList<>();
        servers.forEach((g, server) -> server.unmaskRequest().ifPresent(req -> {
            requests.put(g, req);
            asks.add(FlRoundCodecs.encodeUnmaskRequest(new FlMessage.UnmaskRequest(n, g, req.survivors(), req.dropped()),
                    state.context(), now()));
        }));
        if (!asks.isEmpty() && !requested) {
            publisher.publish(n, asks);
        }
        Map<String, Boolean> answered = new HashMap<>();
        int[] read = {0};
        feed.until(rounds::offer, () -> {
            for (; read[0] < state.unmaskResponses.size(); read[0]++) {
                FlMessage.UnmaskResponse r = rejections.accept(FlRoundCodecs.decodeUnmaskResponse(
                        state.unmaskResponses.get(read[0]), state.context(), keys));
                String g = r == null ? null : groupOf.get(r.from());
                if (g != null && requests.containsKey(g) && answered.putIfAbsent(r.from(), true) == null) {
                    servers.get(g).acceptUnmask(SecAggWire.unmaskResponse(r)).ifPresent(rejections::count);
                }
            }
            return requests.values().stream().allMatch(req -> answered.keySet().containsAll(req.survivors()));
        }, deadline(task.deadlines().unmaskSeconds()));
        Map<String, SecAggOutcome> outcomes = new LinkedHashMap<>();
        List<UnsignedEvent> reveals = new ArrayList<>();
        servers.forEach((g, server) -> {
            SecAggOutcome o = server.finish();
            outcomes.put(g, o);
            server.reveal().ifPresent(r -> reveals.add(FlRoundCodecs.encodeUnmaskReveal(new FlMessage.UnmaskReveal(n, g,
                    r.survivors(), r.dropped(), hex(r.selfMaskSeeds()), hex(r.maskKeys())), state.context(), now())));
        });
        if (!reveals.isEmpty() && state.reveals.isEmpty()) {
            publisher.publish(n, reveals); // before the checkpoint: the sum it rests on is checkable first
        }
        outcomes.forEach((g, o) -> {
            if (o instanceof SecAggOutcome.Aborted a) {
                rejections.count("aborted", g + ": " + a.reason());
            }
        });
        return combine(task, state.rosters, global, outcomes);
    }

    private static Map<String, String> hex(Map<String, byte[]> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, org.fedai.nostr.Hex.encode(v)));
        return out;
    }

    private static boolean whole(Map<String, Map<String, SecAggMessage.EncryptedShare>> batches, String p, SecAggConfig cfg) {
        Map<String, SecAggMessage.EncryptedShare> b = batches.get(p);
        return b != null && b.size() >= cfg.graph().of(cfg.indexOf().get(p)).size();
    }

    /**
     * Each group's exact sum decodes to its weighted mean (the last word carries the group's weight), the
     * task's rule combines the means; members of a used group share its reward equally (their individual
     * weights are hidden by design). The aggregator and verify-round both run this.
     */
    static PlainRound.Outcome combine(FederationTask task, Map<String, FlMessage.Roster> rosters, double[] global,
                                      Map<String, SecAggOutcome> outcomes) {
        int d = task.model().parameters();
        double clip = task.clipNorm();
        List<WeightedUpdate> results = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        Map<String, List<String>> contributors = new TreeMap<>();
        outcomes.forEach((g, outcome) -> {
            switch (outcome) {
                case SecAggOutcome.Aborted a -> {
                    failures.add(new Failure(g, a.reason()));
                    excluded.put(g, "secure aggregation aborted: " + a.reason());
                }
                case SecAggOutcome.Sum s -> {
                    Quantizer q = new Quantizer(clip, rosters.get(g).members().size());
                    double[] sum = q.decodeSum(s.values(), s.contributors().size());
                    double weight = sum[d] / clip;
                    if (!(weight > 0)) {
                        excluded.put(g, "group weight " + weight);
                        return;
                    }
                    double[] mean = new double[d];
                    for (int j = 0; j < d; j++) {
                        mean[j] = sum[j] / weight;
                    }
                    Vectors.clipInPlace(mean, clip); // a mean of clipped updates obeys the bound; anything else is cut to it
                    results.add(new WeightedUpdate(g, mean, weight * task.training().sampleCap()));
                    contributors.put(g, s.contributors());
                }
            }
        });
        double[] next = global.clone();
        List<String> used = List.of();
        if (!results.isEmpty()) {
            Aggregate agg = PlainRound.rule(task.aggregation()).aggregate(results, failures, global);
            Vectors.addScaledInPlace(next, agg.delta(), 1.0);
            used = List.copyOf(agg.used());
            agg.excluded().forEach(excluded::putIfAbsent);
        }
        List<String> chosen = used;
        double total = results.stream().filter(r -> chosen.contains(r.source())).mapToDouble(WeightedUpdate::weight).sum();
        Map<String, PlainRound.Contribution> shares = new TreeMap<>();
        for (String g : rosters.keySet()) {
            List<String> in = contributors.getOrDefault(g, List.of());
            WeightedUpdate r = results.stream().filter(x -> x.source().equals(g)).findFirst().orElse(null);
            for (FlMessage.Member m : rosters.get(g).members()) {
                boolean counted = r != null && used.contains(g) && in.contains(m.participant());
                double share = counted && total > 0 ? r.weight() / total / in.size() : 0;
                shares.put(m.participant(), new PlainRound.Contribution(counted ? r.weight() / in.size() : 0, 1, share,
                        counted ? "secure group " + g + " of " + in.size() : excluded.getOrDefault(g, "no masked input")));
            }
        }
        return new PlainRound.Outcome(next, used, excluded, shares);
    }

    private static Instant deadline(long seconds) {
        return Instant.now().plusSeconds(seconds);
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
