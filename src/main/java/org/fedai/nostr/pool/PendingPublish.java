package org.fedai.nostr.pool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedai.nostr.Event;

/** One publish in flight: collects each relay's outcome until all have answered or the deadline fires. */
final class PendingPublish {

    private final Event event;
    private final List<String> relays;
    private final Map<String, PublishResult.Outcome> outcomes = new ConcurrentHashMap<>();
    private final CompletableFuture<PublishResult> future = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Executor completer;
    private final java.util.function.Consumer<PendingPublish> onFinish;
    private volatile ScheduledFuture<?> deadlineTask;

    PendingPublish(Event event, List<String> relays, Executor completer,
            java.util.function.Consumer<PendingPublish> onFinish) {
        this.event = event;
        this.relays = List.copyOf(relays);
        this.completer = completer;
        this.onFinish = onFinish;
    }

    Event event() {
        return event;
    }

    CompletableFuture<PublishResult> future() {
        return future;
    }

    boolean isFinished() {
        return finished.get();
    }

    void deadline(ScheduledFuture<?> task) {
        deadlineTask = task;
        if (finished.get()) {
            task.cancel(false);
        }
    }

    /** Records the first answer from a relay; later answers (e.g. after a resend) are ignored. */
    void answer(String relayUrl, PublishResult.Outcome outcome) {
        outcomes.putIfAbsent(relayUrl, outcome);
        if (outcomes.keySet().containsAll(relays)) {
            finish();
        }
    }

    /** Deadline or pool shutdown: every relay still silent is reported as timed out. */
    void expire() {
        for (String relay : relays) {
            outcomes.putIfAbsent(relay, new PublishResult.Outcome.TimedOut());
        }
        finish();
    }

    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> task = deadlineTask;
        if (task != null) {
            task.cancel(false);
        }
        onFinish.accept(this);
        Map<String, PublishResult.Outcome> ordered = new LinkedHashMap<>();
        relays.forEach(r -> ordered.put(r, outcomes.get(r)));
        PublishResult result = new PublishResult(event.id(), ordered);
        // Completing on the socket thread would run the caller's continuations there and stall the reader.
        try {
            completer.execute(() -> future.complete(result));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            future.complete(result); // pool is closing: nobody is reading a socket any more
        }
    }
}
