package org.fedai.roles.node.machine;

import org.fedai.store.NodeJob;

/** What the node's wallet answered when asked for an invoice bound to a job. */
public sealed interface InvoiceAnswer {

    record Issued(NodeJob.InvoiceRef ref) implements InvoiceAnswer {
    }

    /**
     * Refused, with the wallet's reason; {@code unanswered}: the wallet gave no answer or could not be reached,
     * which is nothing definite and worth asking again.
     */
    record Refused(String reason, String detail, boolean unanswered) implements InvoiceAnswer {
    }
}
