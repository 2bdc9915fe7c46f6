package org.fedai.roles.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many calls per key are asked and not yet answered: a role that tops a stock up to a depth counts these as held,
 * so that a second top-up while the first is on its way asks only for what is still missing.
 */
public final class InFlight<K> {

    private final Map<K, Integer> counts = new ConcurrentHashMap<>();

    public int count(K key) {
        return counts.getOrDefault(key, 0);
    }

    public void started(K key) {
        counts.merge(key, 1, Integer::sum);
    }

    public void ended(K key) {
        counts.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
    }
}
