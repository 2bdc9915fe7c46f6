package org.fedai.nostr.relay;

import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;

/**
 * Where the relay keeps events. Implementations apply NIP-01's storage classes themselves (so replacement is atomic
 * with the write) and remember NIP-09 deletions so a deleted event cannot come back. Thread-safe.
 */
public interface EventStore extends AutoCloseable {

    enum SaveOutcome {
        STORED,
        /** The same id is already stored. */
        DUPLICATE,
        /** A replaceable/addressable event is older than (or loses the id tie-break to) the stored version. */
        NEWER_VERSION_STORED,
        /** The author deleted this id, or this address up to a time at or after this event (NIP-09). */
        DELETED
    }

    /** Stores a regular, replaceable or addressable event; ephemeral events are never given to a store. */
    SaveOutcome save(Event event);

    /** Events matching the filter and not expired at {@code nowSeconds}, newest first (ties: lowest id), at most limit. */
    List<Event> query(Filter filter, long nowSeconds, int limit);

    /** Applies a NIP-09 request: removes the author's targeted events and remembers the targets. Returns how many went. */
    int delete(Nip09Deletion.Targets targets);

    /** Removes events whose NIP-40 expiration is at or before {@code nowSeconds}; returns how many. */
    int purgeExpired(long nowSeconds);

    /**
     * Removes stored events of {@code kindClass} created before {@code cutoffSeconds} (a retention setting, not a
     * NIP-40 expiry); returns how many.
     */
    int purgeOlderThan(org.fedai.nostr.EventKindClass kindClass, long cutoffSeconds);

    /** Events currently held, expired or not. */
    long size();

    @Override
    void close();

    /** Orders stored events newest first, then by lowest id, the same order NIP-01 replacement breaks ties with. */
    static int newestFirst(Event a, Event b) {
        int byTime = Long.compare(b.createdAt(), a.createdAt());
        return byTime != 0 ? byTime : a.id().compareTo(b.id());
    }

    /** True when {@code candidate} should replace {@code stored} as the one version kept for their address. */
    static boolean replaces(Event candidate, Event stored) {
        return newestFirst(candidate, stored) < 0;
    }
}
