package org.fedai.roles.node;

import org.fedai.roles.node.machine.NodeAction;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeParts;

/** The node machine's journal writes, each one transaction with the events it publishes. */
final class NodeWrites {

    private final NodeJobJournal journal;
    private final NodeParts parts;

    NodeWrites(NodeJobJournal journal) {
        this.journal = journal;
        this.parts = journal.parts();
    }

    void apply(NodeAction.Journal write, long now) {
        switch (write) {
            case NodeAction.InsertQuoted q -> journal.insertQuoted(q.jobId(), q.terms(), q.quote(), q.spare(), now);
            case NodeAction.Accept a -> journal.accept(a.jobId(), now, a.out());
            case NodeAction.RecordInvoice r -> journal.recordInvoice(r.jobId(), r.invoice(), r.next(), now, r.out());
            case NodeAction.KeepPreimage k -> journal.keepPreimage(k.jobId(), k.preimageHex());
            case NodeAction.RecordInput r -> journal.recordInput(r.jobId(), r.input(), r.event(), now, r.out());
            case NodeAction.Authorize a -> journal.authorize(a.jobId(), a.order(), a.event(), a.next(), now);
            case NodeAction.Start s -> journal.start(s.jobId(), now, s.out());
            case NodeAction.Finish f -> {
                if (f.lockedWith() == null) {
                    journal.finish(f.jobId(), f.outcome(), now, f.out());
                } else {
                    journal.finishLocked(f.jobId(), f.outcome(), f.lockedWith(), now, f.out());
                }
            }
            case NodeAction.Fail f -> journal.fail(f.jobId(), f.reason(), now, f.out(), f.cause());
            case NodeAction.RecordPaid p -> journal.recordPaid(p.jobId(), now);
            case NodeAction.RecordSettlement r -> journal.recordSettlement(r.jobId(), now, r.out());
            case NodeAction.KeepPartPreimage k -> parts.keepPreimage(k.jobId(), k.part(), k.preimageHex());
            case NodeAction.RecordPartInvoice r -> parts.recordInvoice(r.jobId(), r.part(), r.invoice(), r.out());
            case NodeAction.DeliverPart d -> parts.deliver(d.jobId(), d.part(), d.out());
            case NodeAction.PartSettled p -> parts.settled(p.jobId(), p.part());
        }
    }
}
