package org.fedai.nostr.pool;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;

/**
 * Every stored event one filter matches, page by page back in time. One REQ is not enough to read a history: a relay
 * answers it with at most its own limit, newest first (CodyTseng's nostr-relay: 100 by default, strfry: 500), and may
 * answer it from a short-lived cache of an earlier identical REQ (CodyTseng's keeps results a second, and under load we
 * saw it serve a federation task's history as it stood rounds earlier). So each page asks for what is at or before the
 * oldest event the previous page brought ({@code until}), which also makes every page a filter no one asked before;
 * the fetch ends at the first page that brings nothing new.
 *
 * <p>Limit: more than a page of events with one created_at second cannot all be reached, as with any until-paging.
 */
public final class StoredHistory {

    /** Asked per page; relays that allow less clamp it, which only costs more pages. */
    public static final int PAGE_LIMIT = 500;

    /** @param complete whether every page ended in EOSE from every relay before its timeout */
    public record Result(int events, int pages, boolean complete) {
    }

    private StoredHistory() {
    }

    /**
     * Hands each stored event matching {@code filter} with created_at at most {@code until} to {@code sink}, each once,
     * newest pages first. Blocks until the history is read or a page's EOSE does not come within {@code pageTimeout}.
     */
    public static Result fetch(RelayPort pool, Filter filter, long until, Duration pageTimeout, Consumer<Event> sink)
            throws InterruptedException {
        return fetch(pool, filter, until, PAGE_LIMIT, pageTimeout, sink);
    }

    /** As {@link #fetch(RelayPort, Filter, long, Duration, Consumer)}, asking for {@code pageLimit} events a page. */
    public static Result fetch(RelayPort pool, Filter filter, long until, int pageLimit, Duration pageTimeout,
                               Consumer<Event> sink) throws InterruptedException {
        Set<String> seen = new HashSet<>();
        long cursor = until;
        int pages = 0;
        while (true) {
            Page page = Page.read(pool, filter.withUntil(cursor).withLimit(pageLimit), pageTimeout);
            pages++;
            int fresh = 0;
            for (Event e : page.events) {
                if (seen.add(e.id())) {
                    fresh++;
                    sink.accept(e);
                }
            }
            if (!page.complete || fresh == 0) {
                return new Result(seen.size(), pages, page.complete);
            }
            // inclusive: the oldest second may hold more events than this page had room for
            cursor = page.oldest.get();
        }
    }

    /** One REQ, read until every relay of the pool sent EOSE (or closed it), then closed. */
    private static final class Page implements EventListener {
        final List<Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicLong oldest = new AtomicLong(Long.MAX_VALUE);
        final Set<String> finished = ConcurrentHashMap.newKeySet();
        final CountDownLatch done;
        boolean complete;

        private Page(int relays) {
            done = new CountDownLatch(Math.max(1, relays));
        }

        static Page read(RelayPort pool, Filter filter, Duration timeout) throws InterruptedException {
            Page page = new Page(pool.relayUrls().size());
            try (Subscription ignored = pool.subscribe(List.of(filter), page)) {
                page.complete = page.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return page;
        }

        @Override
        public void onEvent(Event event, String relayUrl) {
            events.add(event);
            oldest.accumulateAndGet(event.createdAt(), Math::min);
        }

        @Override
        public void onEose(String relayUrl) {
            if (finished.add(relayUrl)) {
                done.countDown();
            }
        }

        @Override
        public void onClosed(String relayUrl, String reason) {
            onEose(relayUrl); // a relay that refuses the REQ has nothing more to give for this page
        }
    }
}
