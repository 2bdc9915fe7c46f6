package org.fedai.fl.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** A held-out test set and one training shard per client. */
public record Partition(Dataset test, List<Dataset> clients) {

    /** Shuffles with the seed, holds out testSize samples, deals the rest evenly (IID). */
    public static Partition iid(Dataset all, int clients, int testSize, long seed) {
        int[] order = shuffled(all.size(), new Random(seed));
        Dataset test = all.select(Arrays.copyOfRange(order, 0, testSize));
        int[] train = Arrays.copyOfRange(order, testSize, order.length);
        List<Dataset> parts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int from = (int) ((long) train.length * c / clients);
            int to = (int) ((long) train.length * (c + 1) / clients);
            parts.add(all.select(Arrays.copyOfRange(train, from, to)));
        }
        return new Partition(test, List.copyOf(parts));
    }

    /**
     * The pathological non-IID split of McMahan et al.: sort the training samples by label, cut
     * them into 2*clients shards, give each client two random shards, so most clients see two digits.
     */
    public static Partition twoShardsPerClient(Dataset all, int clients, int testSize, long seed) {
        Random random = new Random(seed);
        int[] order = shuffled(all.size(), random);
        Dataset test = all.select(Arrays.copyOfRange(order, 0, testSize));
        Integer[] train = Arrays.stream(Arrays.copyOfRange(order, testSize, order.length)).boxed().toArray(Integer[]::new);
        Arrays.sort(train, (a, b) -> Integer.compare(all.y()[a], all.y()[b]));
        int shards = 2 * clients;
        int[] shardOrder = shuffled(shards, random);
        List<Dataset> parts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<Integer> mine = new ArrayList<>();
            for (int s : new int[] {shardOrder[2 * c], shardOrder[2 * c + 1]}) {
                int from = (int) ((long) train.length * s / shards);
                int to = (int) ((long) train.length * (s + 1) / shards);
                mine.addAll(Arrays.asList(train).subList(from, to));
            }
            parts.add(all.select(mine.stream().mapToInt(Integer::intValue).toArray()));
        }
        return new Partition(test, List.copyOf(parts));
    }

    static int[] shuffled(int n, Random random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
