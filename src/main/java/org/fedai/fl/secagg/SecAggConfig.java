package org.fedai.fl.secagg;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.fedai.nostr.Sha256;

/**
 * What every party of one secure-aggregation instance agrees on before it starts (it travels in the
 * round roster): who takes part, the neighbourhood graph, the Shamir threshold among each
 * participant's holders (itself and its neighbours), the vector length and the minimum number of survivors.
 *
 * @param session   task id (or task id + group), so seeds of different tasks never collide
 * @param graphSeed public randomness for the neighbourhood permutation
 */
public record SecAggConfig(String session, int round, List<String> roster, int degree, int threshold,
                           int vectorLength, long graphSeed) {

    public SecAggConfig {
        roster = List.copyOf(roster);
        if (roster.size() < 2) {
            throw new IllegalArgumentException("secure aggregation needs at least 2 participants");
        }
        if (roster.stream().distinct().count() != roster.size()) {
            throw new IllegalArgumentException("roster has duplicates");
        }
        if (degree < 1 || degree > roster.size() - 1 || threshold < 1 || threshold > degree + 1 || vectorLength < 1) {
            throw new IllegalArgumentException("need 1 <= threshold <= degree + 1 <= n and a positive length");
        }
        if (degree % 2 != 0 && degree != roster.size() - 1) {
            throw new IllegalArgumentException("a ring neighbourhood has an even degree (or is the complete graph)");
        }
    }

    /**
     * Parameters for n participants that tolerate the given dropout fraction. Each secret is held by
     * its owner and its degree neighbours; the threshold is a strict majority of those degree + 1
     * holders (so no two disjoint sets of responders can hand out both a participant's self-mask seed
     * and its mask key). The degree starts at 2*ceil(log2 n) and grows until the chance that some
     * neighbourhood loses more than degree + 1 - threshold - 1 members (binomial tail, union bound
     * over n; the -1 because a dropped owner holds nothing) is below 1e-4.
     */
    public static SecAggConfig forRoster(String session, int round, List<String> roster, int vectorLength,
                                         double dropoutFraction, long graphSeed) {
        int n = roster.size();
        int degree = Math.max(1, NeighbourGraph.defaultDegree(n));
        while (degree < n - 1 && n * binomialTailAbove(degree, dropoutFraction, degree - majority(degree + 1)) > 1e-4) {
            degree = Math.min(n - 1, degree + 2);
        }
        return new SecAggConfig(session, round, roster, degree, majority(degree + 1), vectorLength, graphSeed);
    }

    static int majority(int holders) {
        return holders / 2 + 1;
    }

    /** P(X > k) for X ~ Binomial(n, p). */
    static double binomialTailAbove(int n, double p, int k) {
        if (p <= 0) {
            return 0;
        }
        double tail = 0;
        for (int i = k + 1; i <= n; i++) {
            double logC = 0;
            for (int j = 1; j <= i; j++) {
                logC += Math.log(n - i + j) - Math.log(j);
            }
            tail += Math.exp(logC + i * Math.log(p) + (n - i) * Math.log1p(-p));
        }
        return tail;
    }

    public NeighbourGraph graph() {
        return NeighbourGraph.harary(roster.size(), degree, graphSeed);
    }

    public Map<String, Integer> indexOf() {
        return IntStream.range(0, roster.size()).boxed().collect(Collectors.toMap(roster::get, Function.identity()));
    }

    /** HKDF salt binding every derived key to this session and round. */
    public byte[] salt() {
        return Sha256.hash(("fedai/secagg/v1|" + session + "|" + round).getBytes(StandardCharsets.UTF_8));
    }
}
