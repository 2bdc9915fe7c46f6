package org.fedai.roles.node.machine;

import java.util.List;
import java.util.Optional;
import org.fedai.domain.JobId;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeParts;

/**
 * A job as the node's machine sees it: the journal's row ({@code job}, null before its quote is journalled), the
 * preimage kept for its hold or locked invoice, its parts (timing {@code partial}), and whether a run of it is in
 * flight on a runner thread now.
 */
public record NodeView(JobId jobId, NodeJob job, Optional<String> preimage, List<NodeParts.Part> parts,
        boolean runInFlight) {

    public NodeView {
        parts = List.copyOf(parts);
    }

    /** A job the journal does not hold (yet). */
    public static NodeView unknown(JobId jobId) {
        return new NodeView(jobId, null, Optional.empty(), List.of(), false);
    }

    public boolean known() {
        return job != null;
    }

    NodeView with(NodeJob changed) {
        return new NodeView(jobId, changed, preimage, parts, runInFlight);
    }

    NodeView withPreimage(String hex) {
        return new NodeView(jobId, job, Optional.of(hex), parts, runInFlight);
    }
}
