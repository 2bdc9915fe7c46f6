package org.fedai.roles.node.machine;

import java.util.Optional;
import org.fedai.nostr.Event;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.Quote;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeSpares;

/**
 * What happens to a job, as the node's machine takes it: events the shell decoded and admitted, the answers to the
 * machine's own questions (invoices, wallet states, settlements, runs), and the shell's clock (a restart, a sweep).
 */
public sealed interface NodeInput {

    /** A router's 4401 naming this node, past the node's admission. */
    /** {@code spare}: the node's own spare invoice the quote carries, found unused and handed to its router. */
    record QuoteAdmitted(Event event, Quote quote, Optional<NodeSpares.Spare> spare) implements NodeInput {

        public QuoteAdmitted(Event event, Quote quote) {
            this(event, quote, Optional.empty());
        }
    }

    /**
     * The input the client sent with its spec, opened from the node's quote (4401 {@code early_input}): the client's
     * own by its NIP-44 seals, not yet checked against the quote; {@code quote} is the event that carried it.
     */
    record EarlyInputOpened(Event quote, JobRequest.Input input) implements NodeInput {
    }

    /** The client's 4400 input for the job (decoded; not yet checked against the quote). */
    record InputReceived(Event event, JobRequest.Input input) implements NodeInput {
    }

    /** The quoting router's 4404, past the node's admission (for {@code before}, the wallet shows it paid). */
    record OrderAdmitted(Event event, WorkOrder order) implements NodeInput {
    }

    /** The answer to {@link NodeAction.MakeInvoice}. */
    record Invoiced(NodeAction.MakeInvoice asked, InvoiceAnswer answer) implements NodeInput {
    }

    /** The answer to {@link NodeAction.AskWallet}: the invoice's state, empty when the wallet cannot tell now. */
    record WalletAnswered(NodeAction.AskWallet asked, Optional<InvoiceState> state) implements NodeInput {
    }

    /** The answer to {@link NodeAction.Settle}: true once the invoice is settled (now or before a crash). */
    record SettleAnswered(NodeAction.Settle asked, boolean settled) implements NodeInput {
    }

    /** A run of the job (part 0: the whole job) came back from the runner. */
    record RunFinished(int part, RunOutcome outcome) implements NodeInput {
    }

    /** A part's state changed: the partial job moves on (settle, run, invoice the next part or finish). */
    record PartsChanged() implements NodeInput {
    }

    /**
     * The node started again: an open job is carried on or failed on its deadline. A DONE job is fed only while the
     * journal lists it as owed (its payment not recorded), as for {@link Swept}.
     */
    record Resumed() implements NodeInput {
    }

    /**
     * The periodic sweep: deadlines, wallets that gave no answer, payments owed after delivery (a DONE job is fed
     * only while the journal lists it as owed).
     */
    record Swept() implements NodeInput {
    }
}
