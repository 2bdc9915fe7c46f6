package org.fedai.roles.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.JobId;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Nip13;
import org.fedai.nostr.Nip19;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.protocol.EarlyInput;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.store.ClientJournal;

/**
 * Sends a submission's spec to one router at a time (event-kinds/market-flow.md, "Several routers"): to the first
 * router of the order, then, when no quote came within the quote timeout, a fresh spec to the next. Every attempt
 * is its own {@link ClientJob} (its own job id, journaled) sharing the submission's outcome and deliver_by.
 */
final class SpecDispatch {

    private final ClientConfig config;
    private final ClientSteps steps;
    private final RelayPort pool;
    private final ClientJournal journal;
    private final LightningKeyDirectory directory;
    private final java.util.function.ObjLongConsumer<ClientJob> adopt;
    private final ScheduledExecutorService timers;

    /** {@code adopt}: starts a new job's deliver_by clock and lets its events find it. */
    SpecDispatch(ClientSteps steps, RelayPort pool, ClientJournal journal, LightningKeyDirectory directory,
            java.util.function.ObjLongConsumer<ClientJob> adopt, ScheduledExecutorService timers) {
        this.config = steps.config();
        this.steps = steps;
        this.pool = pool;
        this.journal = journal;
        this.directory = directory;
        this.adopt = adopt;
        this.timers = timers;
    }

    /** Tries at a probation router's share: at 25 % (the ceiling) 64 misses in a row happen once in 10^8. */
    static final int MAX_SHARE_TRIES = 64;

    /**
     * The signed spec for {@code router}: with proof of work if it asks for it, and ground into its probation share
     * if it is in probation (each sealing has a fresh NIP-44 nonce, so a fresh id), so that the router answers.
     */
    private Event sealed(JobRequest.Spec spec, PublicKey router, long at) {
        long share = directory.answeredSharePpm(router);
        int pow = directory.powDifficultyOf(router);
        Event event = null;
        for (int i = 0; i < MAX_SHARE_TRIES && (event == null
                || !RouterAnnouncement.Probation.inShare(event.id(), router.hex(), share)); i++) {
            UnsignedEvent unsigned = JobRequestCodec.encode(spec, config.keys(), router.hex(), at);
            if (pow > 0) {
                // the router asks clients it has not served for proof of work; we cannot tell if it knows us: pay it
                unsigned = Nip13.mine(unsigned, config.keys().publicKey(), pow);
            }
            event = EventSigner.sign(unsigned, config.keys());
        }
        return event;
    }

    /**
     * The spec carrying its input sealed for the nodes the router could choose (4400 {@code early_input}), so that the
     * chosen node holds it when its quote arrives, a relay hop before the client's own 4400 (still sent, beside the
     * path, for a node it was not sealed for). As it is: an input too large to travel twice, or no candidate known.
     */
    private JobRequest.Spec withEarlyInput(JobRequest.Spec spec, JobSubmission submission) {
        List<String> nodes = directory.candidatesFor(spec, EarlyInput.MAX_NODES, steps.now());
        if (nodes.isEmpty() || spec.inputBytes() > EarlyInput.MAX_BYTES) {
            return spec;
        }
        return spec.withEarlyInput(EarlyInput.seal(submission.texts(), submission.params(), nodes, config.keys()));
    }

    CompletableFuture<JobOutcome> submit(JobSubmission submission) {
        CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();
        send(submission, RouterOrder.of(config.routers(), directory), steps.now() + submission.deliverWithinSeconds(),
                outcome);
        return outcome;
    }

    /** A fresh spec of {@code job}'s submission to the next router of its order, with the same deliver_by. */
    void tryNext(ClientJob job) {
        send(job.submission, job.laterRouters, job.spec.deliverBy(), job.outcome);
    }

    /** The spec to {@code routers[0]}; every attempt shares {@code outcome} and the one deliver_by. */
    private void send(JobSubmission submission, List<PublicKey> routers, long deliverBy,
            CompletableFuture<JobOutcome> outcome) {
        PublicKey router = routers.get(0);
        long at = steps.now();
        // journaled as this attempt's own submission, so that a restart rebuilds exactly this spec
        JobSubmission attempt = new JobSubmission(submission.model(), submission.task(), submission.texts(),
                submission.params(), submission.maxPrice(), submission.constraints(), submission.timing(),
                Math.max(1, deliverBy - at));
        JobRequest.Spec spec = withEarlyInput(ClientJob.specOf(attempt, at), attempt);
        Event event = sealed(spec, router, at);
        ClientJob job = new ClientJob(JobId.of(event.id()), attempt, spec, router, at, outcome,
                routers.subList(1, routers.size()));
        long share = directory.answeredSharePpm(router);
        if (share < 1_000_000) {
            // say why a new router may stay silent for others, and that this spec was made to be answered
            steps.progress(job.jobId, "router " + Nip19.shortNpub(router.hex()) + " is in probation (answers "
                    + share / 10_000 + "% of specs): spec ground into its share");
        }
        journal.recordSubmission(job.jobId, at, SubmissionJson.write(attempt));
        journal.recordSpecEvent(job.jobId, org.fedai.nostr.EventJson.toJson(event));
        journal.recordState(job.jobId, router, job.state.name(), null, at);
        adopt.accept(job, Math.max(0, deliverBy - at));
        long timeoutMs = config.quoteTimeout().toMillis();
        timers.schedule(() -> steps.feed(job, new ClientInput.QuoteTimedOut(timeoutMs)), timeoutMs,
                TimeUnit.MILLISECONDS);
        pool.publish(event, config.publishDeadline()).thenAccept(r -> {
            if (!r.acceptedByAny()) {
                steps.feed(job, new ClientInput.SpecRefused(String.valueOf(r.outcomes())));
            } else {
                steps.progress(job.jobId, "spec sent to the router");
            }
        });
    }
}
