package org.fedai.store;

/**
 * How hard a journal write is pushed to disk, decided by the caller who knows what the row is worth: money and
 * trust rows are {@code SYNCED} (fsync at commit), rows of free work and bookkeeping {@code RELAXED} (a power loss
 * may take back the last few, and nothing is owed on them).
 */
public enum Durability {
    SYNCED, RELAXED;

    public boolean relaxed() {
        return this == RELAXED;
    }
}
