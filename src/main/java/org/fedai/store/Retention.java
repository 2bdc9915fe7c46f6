package org.fedai.store;

import java.time.Duration;

/**
 * How long journals keep what is over: a node's settled jobs, a router's finished jobs that owe nothing
 * ({@code --retain-days}). Money and slashing evidence still needed are never pruned, whatever the age; see
 * {@link NodeJobJournal#pruneSettled} and {@link RouterLedger#pruneSettled}.
 */
public final class Retention {

    /** A month: long past every deadline and claim window, short enough that storage stays flat. */
    public static final Duration DEFAULT = Duration.ofDays(30);
    /** How often a role prunes. */
    public static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private Retention() {
    }
}
