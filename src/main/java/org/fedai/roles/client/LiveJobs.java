package org.fedai.roles.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.fedai.domain.JobId;

/**
 * The client's jobs in memory: the open ones by id, each until its outcome is in, and for a while the ids of those
 * that ended. A long-lived client (a gateway, a demo of 20,000 jobs) would otherwise keep every job it ever ran;
 * the ended ids let a late event for a finished job (a status after the result, a relay's copy) pass quietly
 * instead of being counted as one for an unknown job.
 */
final class LiveJobs {

    /** Longer than any relay's redelivery of a job's events after its result. */
    private static final Duration ENDED_MEMORY = Duration.ofMinutes(10);

    private final Map<JobId, ClientJob> open = new ConcurrentHashMap<>();
    private final Cache<JobId, Boolean> ended = Caffeine.newBuilder().expireAfterWrite(ENDED_MEMORY)
            .maximumSize(100_000).build();

    /** The open jobs by id, shared with the intakes that look events' jobs up. */
    Map<JobId, ClientJob> byId() {
        return open;
    }

    /** Holds {@code job} until its outcome is in; then cancels its {@code deadline} and lets it go. */
    void track(ClientJob job, ScheduledFuture<?> deadline) {
        open.put(job.jobId, job);
        job.outcome.whenComplete((outcome, error) -> {
            deadline.cancel(false);
            ended.put(job.jobId, Boolean.TRUE);
            open.remove(job.jobId, job);
        });
    }

    /** Whether {@code jobId} ended within the last minutes. */
    boolean endedRecently(JobId jobId) {
        return ended.getIfPresent(jobId) != null;
    }
}
