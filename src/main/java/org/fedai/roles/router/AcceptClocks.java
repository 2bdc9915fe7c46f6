package org.fedai.roles.router;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.roles.common.RoleThread;

/**
 * One accept_by clock per quoted job, on the role's thread: when it runs out, {@code onTimeout} gets the job and
 * the quote it was started for (the machine ignores it if the job moved on). A new clock for a job replaces its old.
 */
final class AcceptClocks {

    /** What to do when a quote's accept_by passes. */
    interface Timeout {
        void expired(JobId jobId, EventId quoteId);
    }

    private final RoleThread thread;
    private final Timeout onTimeout;
    private final Map<JobId, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

    AcceptClocks(RoleThread thread, Timeout onTimeout) {
        this.thread = thread;
        this.onTimeout = onTimeout;
    }

    void start(JobId jobId, EventId quoteId, long delayMs) {
        ScheduledFuture<?> clock = thread.schedule("4401", () -> {
            running.remove(jobId);
            onTimeout.expired(jobId, quoteId);
        }, delayMs);
        ScheduledFuture<?> previous = clock == null ? running.remove(jobId) : running.put(jobId, clock);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    void stop(JobId jobId) {
        ScheduledFuture<?> clock = running.remove(jobId);
        if (clock != null) {
            clock.cancel(false);
        }
    }
}
