package org.fedai.fl.secagg;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * SecAgg+ communication graph (Bell et al. 2020): a Harary graph on a random permutation of the
 * roster, each participant joined to degree/2 predecessors and successors on the permuted ring. The
 * degree is O(log n), so masking and sharing cost O(log n) per client instead of O(n). The
 * permutation comes from public round randomness so every party derives the same graph.
 */
public final class NeighbourGraph {

    private final List<Set<Integer>> neighbours;

    private NeighbourGraph(List<Set<Integer>> neighbours) {
        this.neighbours = neighbours;
    }

    /** Degree for n participants: 2*ceil(log2 n) rounded to even, capped at n-1 (complete graph for small n). */
    public static int defaultDegree(int n) {
        if (n <= 1) {
            return 0;
        }
        int log = 32 - Integer.numberOfLeadingZeros(n - 1);
        int k = 2 * log;
        return Math.min(n - 1, k);
    }

    public static NeighbourGraph harary(int n, int degree, long publicSeed) {
        if (degree < 0 || degree > n - 1) {
            throw new IllegalArgumentException("degree " + degree + " impossible with " + n + " participants");
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Random r = new Random(publicSeed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        List<Set<Integer>> adj = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            adj.add(new TreeSet<>());
        }
        if (degree == n - 1) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i != j) {
                        adj.get(i).add(j);
                    }
                }
            }
        } else {
            int half = (degree + 1) / 2;
            for (int pos = 0; pos < n; pos++) {
                for (int d = 1; d <= half; d++) {
                    int a = perm[pos];
                    int b = perm[(pos + d) % n];
                    adj.get(a).add(b);
                    adj.get(b).add(a);
                }
            }
        }
        return new NeighbourGraph(adj.stream().map(Set::copyOf).toList());
    }

    /** Roster indices adjacent to participant i (never i itself). */
    public Set<Integer> of(int i) {
        return neighbours.get(i);
    }

    public int size() {
        return neighbours.size();
    }
}
