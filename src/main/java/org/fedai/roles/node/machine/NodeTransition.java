package org.fedai.roles.node.machine;

import java.util.List;
import org.fedai.domain.JobId;

/** One step of a job through the node's machine: the actions, in the order the shell carries them out. */
public record NodeTransition(JobId jobId, List<NodeAction> actions) {

    public NodeTransition {
        actions = List.copyOf(actions);
    }
}
