package org.fedai.roles.client;

import java.util.concurrent.CompletableFuture;

/**
 * A job from before a restart that {@link ClientRole#start()} took up again: its id, the state the journal held
 * ({@code SPEC_SENT}, {@code QUOTED}, {@code PAYING} or {@code PAID}) and how it ends.
 */
public record ResumedJob(String jobId, String journaledState, CompletableFuture<JobOutcome> outcome) {
}
