package org.fedai.nostr.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventKindClass;
import org.fedai.nostr.Filter;

/** The default store: everything in memory, gone on exit. One lock; the embedded relay serves one machine. */
public final class InMemoryEventStore implements EventStore {

    private final Map<String, Event> byId = new HashMap<>();
    private final NavigableSet<Event> ordered = new TreeSet<>(EventStore::newestFirst);
    /** address (kind:pubkey:d) -> id of the one version kept. */
    private final Map<String, String> byAddress = new HashMap<>();
    /** NIP-09 tombstones: deleted id -> its author. */
    private final Map<String, String> deletedIds = new HashMap<>();
    /** NIP-09 tombstones: address -> created_at of the latest deletion request naming it. */
    private final Map<String, Long> deletedAddresses = new HashMap<>();

    @Override
    public synchronized SaveOutcome save(Event event) {
        EventKindClass cls = event.kindClass();
        if (cls == EventKindClass.EPHEMERAL) {
            throw new IllegalArgumentException("ephemeral events are not stored");
        }
        if (byId.containsKey(event.id())) {
            return SaveOutcome.DUPLICATE;
        }
        if (event.pubkey().equals(deletedIds.get(event.id()))) {
            return SaveOutcome.DELETED;
        }
        if (cls == EventKindClass.REGULAR) {
            add(event);
            return SaveOutcome.STORED;
        }
        String address = event.address();
        Long deletedUntil = deletedAddresses.get(address);
        if (deletedUntil != null && event.createdAt() <= deletedUntil) {
            return SaveOutcome.DELETED;
        }
        String storedId = byAddress.get(address);
        if (storedId != null) {
            Event stored = byId.get(storedId);
            if (!EventStore.replaces(event, stored)) {
                return SaveOutcome.NEWER_VERSION_STORED;
            }
            remove(stored);
        }
        add(event);
        byAddress.put(address, event.id());
        return SaveOutcome.STORED;
    }

    private void add(Event event) {
        byId.put(event.id(), event);
        ordered.add(event);
    }

    private void remove(Event event) {
        byId.remove(event.id());
        ordered.remove(event);
        if (event.kindClass() != EventKindClass.REGULAR) {
            byAddress.remove(event.address(), event.id());
        }
    }

    @Override
    public synchronized List<Event> query(Filter filter, long nowSeconds, int limit) {
        List<Event> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        Iterable<Event> candidates = filter.ids().isEmpty() ? ordered : idsInOrder(filter);
        for (Event e : candidates) {
            if (filter.matches(e) && !Nip40Expiry.isExpired(e, nowSeconds)) {
                out.add(e);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    private List<Event> idsInOrder(Filter filter) {
        List<Event> found = new ArrayList<>();
        for (String id : filter.ids()) {
            Event e = byId.get(id);
            if (e != null) {
                found.add(e);
            }
        }
        found.sort(EventStore::newestFirst);
        return found;
    }

    @Override
    public synchronized int delete(Nip09Deletion.Targets targets) {
        int removed = 0;
        for (String id : targets.ids()) {
            Event e = byId.get(id);
            // Only the author may delete, and NIP-09 gives a deletion of a deletion no effect.
            if (e != null && (!e.pubkey().equals(targets.author()) || Nip09Deletion.isDeletion(e))) {
                continue;
            }
            deletedIds.put(id, targets.author());
            if (e != null) {
                remove(e);
                removed++;
            }
        }
        for (Nip09Deletion.Address a : targets.addresses()) {
            deletedAddresses.merge(a.key(), targets.until(), Math::max);
            String id = byAddress.get(a.key());
            Event e = id == null ? null : byId.get(id);
            if (e != null && e.createdAt() <= targets.until()) {
                remove(e);
                removed++;
            }
        }
        return removed;
    }

    @Override
    public synchronized int purgeOlderThan(EventKindClass kindClass, long cutoffSeconds) {
        int purged = 0;
        for (Iterator<Event> it = ordered.iterator(); it.hasNext();) {
            Event e = it.next();
            if (e.kindClass() == kindClass && e.createdAt() < cutoffSeconds) {
                it.remove();
                byId.remove(e.id());
                if (kindClass != EventKindClass.REGULAR) {
                    byAddress.remove(e.address(), e.id());
                }
                purged++;
            }
        }
        return purged;
    }

    @Override
    public synchronized int purgeExpired(long nowSeconds) {
        int purged = 0;
        for (Iterator<Event> it = ordered.iterator(); it.hasNext();) {
            Event e = it.next();
            if (Nip40Expiry.isExpired(e, nowSeconds)) {
                it.remove();
                byId.remove(e.id());
                if (e.kindClass() != EventKindClass.REGULAR) {
                    byAddress.remove(e.address(), e.id());
                }
                purged++;
            }
        }
        return purged;
    }

    @Override
    public synchronized long size() {
        return byId.size();
    }

    @Override
    public void close() {
        // nothing to release
    }
}
