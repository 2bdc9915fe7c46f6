package org.fedai.roles.client;

import java.util.Optional;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.Quote;

/**
 * Whether a quote or an invoice that decoded may move its job on, judged on the job as it stands: the reason it may
 * not (counted under that reason), or empty. Called with the job's lock held.
 */
final class QuoteRules {

    private QuoteRules() {
    }

    /** A quote from {@code e}'s author for {@code job}, this client being {@code me}. */
    static Optional<String> quoteRefusal(Quote q, Event e, ClientJob job, PublicKey me) {
        if (job.failedOver || !e.pubkey().equals(job.router.hex())) {
            // a late quote for a spec abandoned to the next router, or from a router this spec did not go to
            return Optional.of(job.failedOver ? "quote_after_failover" : "quote_from_another_router");
        }
        if (job.finished() || job.state.ordinal() >= ClientJob.State.PAYING.ordinal() && !lockedInSpare(job)) {
            return Optional.of("quote_after_payment");
        }
        if (!q.inputSha256().equals(job.spec.inputSha256()) || !q.client().equals(me.hex())) {
            return Optional.of("quote_for_other_input");
        }
        return q.totalMsat() > job.spec.maxPriceMsat() ? Optional.of("quote_over_max_price") : Optional.empty();
    }

    /**
     * A before job that paid into its quoted node's spare, a hold invoice, and holds neither that node's preimage nor
     * its result: that node settles the payment only on the router's work order, so a quote the router sends now (its
     * failover from a node that did not accept in time) means the first node never gets the order, and its payment
     * goes back to the client (RouterTiming#spareSettledOnOrder). The client may take it; its fee, paid on the first
     * quote, is the fallback quote's too.
     */
    static boolean lockedInSpare(ClientJob job) {
        Quote q = job.quote;
        return job.state == ClientJob.State.PAYING && q.timing() == PaymentTiming.BEFORE
                && !q.nodeInvoice().isEmpty() && !job.paid.containsKey(q.nodeInvoice())
                && job.before().delivered == null;
    }

    /** An invoice from {@code e}'s author for a quoted {@code job}, before its BOLT11 is checked (InvoiceRules). */
    static Optional<String> invoiceRefusal(Invoice invoice, Event e, ClientJob job) {
        Quote q = job.quote;
        if (q == null || !e.pubkey().equals(q.node())) {
            return Optional.of("invoice_from_unquoted_node");
        }
        if (invoice.settled() && (q.timing() != PaymentTiming.EXTERNAL || job.finished())) {
            return Optional.of("settled_invoice_unexpected"); // only an external job's node reveals what it was paid
        }
        return job.invoicePaid || job.finished() ? Optional.of("invoice_already_settled") : Optional.empty();
    }
}
