package org.fedai.roles.node.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedai.domain.JobId;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobState;

/** One transition being built: the view as it changes, and the actions so far. */
final class NodeStep {

    private NodeView view;
    private final List<NodeAction> actions = new ArrayList<>();

    NodeStep(NodeView view) {
        this.view = view;
    }

    NodeView view() {
        return view;
    }

    NodeJob job() {
        return view.job();
    }

    JobId jobId() {
        return view.jobId();
    }

    void add(NodeAction action) {
        actions.add(action);
    }

    /** The job as the writes added so far leave it. */
    void becomes(NodeJob changed) {
        view = view.with(changed);
    }

    void keptPreimage(String hex) {
        view = view.withPreimage(hex);
    }

    NodeTransition transition() {
        return new NodeTransition(view.jobId(), actions);
    }

    // ---- the job after a write, as the journal will read it back -------------------------------------------------

    static NodeJob inState(NodeJob j, NodeJobState state, long now) {
        return new NodeJob(j.jobId(), state, j.terms(), j.invoice(), j.input(), j.order(), j.outcome(), j.createdAt(),
                now);
    }

    static NodeJob withInput(NodeJob j, NodeJob.Input input) {
        return new NodeJob(j.jobId(), j.state(), j.terms(), j.invoice(), Optional.of(input), j.order(), j.outcome(),
                j.createdAt(), j.updatedAt());
    }

    static NodeJob withOrder(NodeJob j, NodeJob.Order order, NodeJobState state, long now) {
        return new NodeJob(j.jobId(), state, j.terms(), j.invoice(), j.input(), Optional.of(order),
                j.outcome(), j.createdAt(), now);
    }

    static NodeJob started(NodeJob j, long now) {
        return new NodeJob(j.jobId(), NodeJobState.RUNNING, j.terms(), j.invoice(), j.input(), j.order(),
                Optional.of(new NodeJob.Outcome(now, 0, "", 0, "", "")), j.createdAt(), now);
    }

    static NodeJob finished(NodeJob j, NodeJob.Outcome outcome, long now) {
        return new NodeJob(j.jobId(), NodeJobState.DONE, j.terms(), j.invoice(), j.input(), j.order(),
                Optional.of(outcome), j.createdAt(), now);
    }

    static NodeJob fresh(JobId jobId, NodeJob.Terms terms, Optional<NodeJob.InvoiceRef> spare, long now) {
        return new NodeJob(jobId, NodeJobState.QUOTED, terms, spare, Optional.empty(), Optional.empty(),
                Optional.empty(), now, now);
    }
}
