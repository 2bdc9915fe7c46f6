package org.fedai.roles.fl;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.pool.EventListener;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.nostr.pool.StoredHistory;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.FlContext;

/**
 * Everything the relay holds or will hold about one federation task: the 31410 task itself and every event
 * that carries its {@code a} tag. A role's thread drains the events in arrival order (each once: relays
 * deliver duplicates) and blocks until a condition holds or a deadline passes, woken by each arrival, so a
 * role is a loop over its round's phases rather than a web of callbacks.
 */
final class TaskFeed implements AutoCloseable {

    private static final Duration HISTORY_PAGE_TIMEOUT = Duration.ofSeconds(30);

    private final Object lock = new Object();
    private final List<Event> events = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    /** The live subscription's EOSE and the end of the paged history read. */
    private final CountDownLatch stored = new CountDownLatch(2);
    private volatile boolean historyComplete;
    private final Subscription subscription;
    private final Thread history;
    private int next;

    private final InstantSource clock;

    TaskFeed(RelayPort pool, String coordinator, String taskId) {
        this(pool, coordinator, taskId, InstantSource.system());
    }

    /** @param clock what {@link #until}'s deadlines are compared with */
    TaskFeed(RelayPort pool, String coordinator, String taskId, InstantSource clock) {
        this.clock = clock;
        Filter task = Filter.builder().kinds(FedaiKind.FEDERATION_TASK.number()).authors(coordinator).tag('d', taskId).build();
        Filter round = Filter.builder().tag('a', FlContext.taskAddress(coordinator, taskId)).build();
        long now = clock.instant().getEpochSecond();
        subscription = pool.subscribe(List.of(task, round), new EventListener() {
            @Override
            public void onEvent(Event event, String relayUrl) {
                add(event);
            }

            @Override
            public void onEose(String relayUrl) {
                stored.countDown();
            }
        });
        // the live REQ's stored answer is one relay page, maybe cached: the whole history comes paged, beside it
        history = Thread.ofVirtual().name("task-history-" + taskId).start(() -> {
            try {
                boolean complete = true;
                for (Filter f : List.of(task, round)) {
                    complete &= StoredHistory.fetch(pool, f, now, HISTORY_PAGE_TIMEOUT, this::add).complete();
                }
                historyComplete = complete;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stored.countDown();
            }
        });
    }

    private void add(Event event) {
        synchronized (lock) {
            if (seen.add(event.id())) {
                events.add(event);
                lock.notifyAll();
            }
        }
    }

    /**
     * Waits until the relay has sent everything it already stored (the live REQ's EOSE and every page of the history):
     * a restarted role sees history first. False if that did not happen within {@code timeout}.
     */
    boolean awaitStored(Duration timeout) throws InterruptedException {
        return stored.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && historyComplete;
    }

    /** Hands every event not yet drained to {@code handler}, in arrival order. */
    void drain(Consumer<Event> handler) {
        List<Event> batch;
        synchronized (lock) {
            batch = List.copyOf(events.subList(next, events.size()));
            next = events.size();
        }
        batch.forEach(handler);
    }

    /** Every event so far (for roles that re-read history, e.g. a round verifier). */
    List<Event> all() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    /**
     * Drains into {@code handler} until {@code done} holds (true) or {@code deadline} passes (false). The
     * condition is checked after each batch, so it sees the state the handler built.
     */
    boolean until(Consumer<Event> handler, BooleanSupplier done, Instant deadline) throws InterruptedException {
        while (true) {
            drain(handler);
            if (done.getAsBoolean()) {
                return true;
            }
            long left = Duration.between(clock.instant(), deadline).toMillis();
            if (left <= 0) {
                drain(handler);
                return done.getAsBoolean();
            }
            synchronized (lock) {
                if (next == events.size()) {
                    lock.wait(Math.min(left, 1000)); // bounded: a deadline may also pass without any event
                }
            }
        }
    }

    @Override
    public void close() {
        history.interrupt();
        subscription.close();
    }
}
