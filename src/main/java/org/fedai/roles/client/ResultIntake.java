package org.fedai.roles.client;

import java.util.Map;
import org.fedai.nostr.Event;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.roles.common.Counters;
import org.fedai.store.ClientJournal;

/**
 * What the client hears about a job once it is under way: the node's and the router's 4405 statuses and the
 * node's 4406 result parts, assembled and hash-checked into the job's outcome. Apart from {@link ClientRole}
 * because ending a job (by result, node error or router refusal) is one concern, while the role wires the
 * quote, invoice and payment steps that precede it.
 */
final class ResultIntake {

    private final ClientSteps steps;
    private final ClientJournal journal;
    private final Map<String, ClientJob> jobs;
    private final Counters counters;
    private final DeferredPayment deferred;
    private final PartialPayment partial;

    ResultIntake(ClientSteps steps, ClientJournal journal, Map<String, ClientJob> jobs, Counters counters,
            DeferredPayment deferred, PartialPayment partial) {
        this.steps = steps;
        this.journal = journal;
        this.jobs = jobs;
        this.counters = counters;
        this.deferred = deferred;
        this.partial = partial;
    }


    void onStatus(Event e) {
        JobStatus s = counters.accepted(JobProgressCodecs.decodeStatus(e));
        ClientJob job = s == null ? null : jobs.get(s.jobId());
        if (job != null && e.pubkey().equals(job.router)) {
            onRouterStatus(job, s);
            return;
        }
        if (job != null && steps.keptForQuote(job, e)) {
            return;
        }
        if (job == null && s != null) {
            steps.rejectUnknownJob(s.jobId(), "status_from_unquoted_node");
            return;
        }
        if (job == null || job.quote == null || !e.pubkey().equals(job.quote.node())) {
            steps.reject(s == null ? null : "status_from_unquoted_node");
            return;
        }
        steps.progress(job.jobId, "node status: " + s.state().code()
                + (s.message().isEmpty() ? "" : " (" + s.message() + ")"));
        if (s.state() == JobStatus.State.ERROR) {
            steps.fail(job, "node reported: " + s.message());
        }
    }

    /** A router speaks in 4405 only to refuse a job it will not route (event-kinds/4405-job-status.md). */
    private void onRouterStatus(ClientJob job, JobStatus s) {
        if (s.state() != JobStatus.State.ERROR || !s.client().equals(steps.config().keys().publicKey())) {
            steps.reject("router_status_not_a_refusal");
            return;
        }
        String reason = s.reason().isEmpty() ? "unspecified" : s.reason();
        java.util.function.Predicate<String> next = job.nextRouter;
        if (next != null && next.test("router " + org.fedai.nostr.Nip19.shortNpub(job.router) + " refused: " + reason)) {
            return; // another router may take what this one will not
        }
        steps.progress(job.jobId, "router refused the job: " + reason
                + (s.message().isEmpty() ? "" : " (" + s.message() + ")"));
        steps.fail(job, "router refused: " + reason + (s.message().isEmpty() ? "" : " (" + s.message() + ")"));
    }

    void onResult(Event e) {
        JobResult part = counters.accepted(JobProgressCodecs.decodeResult(e, steps.config().keys()));
        ClientJob job = part == null ? null : jobs.get(part.jobId());
        if (job != null && steps.keptForQuote(job, e)) {
            return;
        }
        if (job == null && part != null) {
            steps.rejectUnknownJob(part.jobId(), "result_from_unquoted_node");
            return;
        }
        if (job == null || job.quote == null || !e.pubkey().equals(job.quote.node())) {
            steps.reject(part == null ? null : "result_from_unquoted_node");
            return;
        }
        JobOutcome outcome;
        synchronized (job) {
            if (job.finished() || job.parts.stream().anyMatch(p -> p.part() == part.part())) {
                return;
            }
            ClientFlow flow = ClientFlow.of(job.quote.timing());
            if (flow == ClientFlow.PARTIAL) {
                partial.onPart(job, part); // each part a whole output of its own
                return;
            }
            job.parts.add(part);
            if (job.parts.size() < part.parts()) {
                steps.progress(job.jobId, "result part " + job.parts.size() + " of " + part.parts());
                return;
            }
            if (flow == ClientFlow.DEFERRED) {
                deferred.onDelivered(job); // done once paid and proved (atomic: once opened)
                return;
            }
            Decoded<String> whole = JobProgressCodecs.assemble(job.parts);
            if (!(whole instanceof Decoded.Accepted<String> ok)) {
                steps.reject("result_inconsistent");
                job.parts.clear();
                return;
            }
            job.state = ClientJob.State.DONE;
            journal.recordState(job.jobId, job.router, job.state.name(), job.quote.node(), steps.now());
            outcome = JobOutcome.succeeded(job, part.outputType(), ok.value());
        }
        job.outcome.complete(outcome);
    }
}
