package org.fedai.roles.client;

import java.util.concurrent.CompletableFuture;
import org.fedai.domain.JobId;

/**
 * A job from before a restart that {@link ClientRole#start()} took up again: its id, the state the journal held
 * ({@code SPEC_SENT}, {@code QUOTED}, {@code PAYING} or {@code PAID}) and how it ends.
 */
public record ResumedJob(JobId jobId, String journaledState, CompletableFuture<JobOutcome> outcome) {
}
