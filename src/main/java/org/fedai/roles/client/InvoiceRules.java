package org.fedai.roles.client;

import java.util.Optional;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Invoice;
import org.fedai.payment.JobBinding;
import org.fedai.payment.SpareBinding;

/**
 * What a client checks before paying any invoice, node's or router's: that it is a BOLT11 invoice signed by
 * the Lightning key its payee declared in a signed Nostr event, for exactly the quoted amount, bound to this
 * job, and not expired. Paying first and disputing later is not an option with Lightning. An invoice the router's
 * signed quote carries (its fee, or a node's spare) may instead be bound to that router's spares: the quote is what
 * binds it to the job (4401-quote.md, {@code node_invoice}).
 */
final class InvoiceRules {

    private InvoiceRules() {
    }

    /** Why the router's fee invoice in the job's quote may not be paid (checked as the node's is); empty when it may. */
    static Optional<String> feeProblem(ClientContext peers, ClientStep step) {
        org.fedai.protocol.Quote q = step.job.quote;
        return check(peers, q.routerFeeInvoice(), step.job.router, Msat.of(q.routerFeeMsat()), step.job.jobId,
                Optional.of(step.job.router), step.nowSeconds());
    }

    /** Why the node's invoice the job's quote carries may not be paid; empty when it may. */
    static Optional<String> quotedNodeInvoiceProblem(ClientContext peers, ClientStep step) {
        return nodeInvoiceProblem(peers, step, step.job.quote.nodeInvoice());
    }

    /**
     * Why a node invoice for the whole job may not be paid; empty when it may. Bound to the job, or, when it is the
     * spare the quote named (a pay-after node sends that one with its result), to the router's spares.
     */
    static Optional<String> nodeInvoiceProblem(ClientContext peers, ClientStep step, String bolt11) {
        org.fedai.protocol.Quote q = step.job.quote;
        Optional<PublicKey> quotedBy = !bolt11.isEmpty() && bolt11.equals(q.nodeInvoice()) ? Optional.of(step.job.router)
                : Optional.empty();
        return check(peers, bolt11, PublicKey.of(q.node()), Msat.of(q.nodePriceMsat()), step.job.jobId, quotedBy,
                step.nowSeconds());
    }

    /** Why the invoice may not be paid; empty when it may. */
    static Optional<String> check(ClientContext peers, String bolt11, PublicKey payee, Msat amount, JobId jobId,
            long nowSeconds) {
        return check(peers, bolt11, payee, amount, jobId, Optional.empty(), nowSeconds);
    }

    /** {@code quotedBy}: the router whose quote carries the invoice, whose spares it may be bound to instead. */
    private static Optional<String> check(ClientContext peers, String bolt11, PublicKey payee, Msat amount, JobId jobId,
            Optional<PublicKey> quotedBy, long nowSeconds) {
        Bolt11Invoice decoded;
        try {
            decoded = Bolt11Codec.decode(bolt11);
        } catch (RuntimeException ex) {
            return Optional.of("malformed_bolt11");
        }
        Optional<String> declared = peers.lightningKeyOf(payee);
        if (declared.isEmpty() || !declared.get().equals(decoded.payeeHex())) {
            return Optional.of("invoice_payee_not_declared");
        }
        if (decoded.amountMsat().isEmpty() || decoded.amountMsat().getAsLong() != amount.value()) {
            return Optional.of("invoice_amount_differs_from_quote");
        }
        if (!new JobBinding(jobId.hex()).boundTo(decoded)
                && quotedBy.filter(r -> new SpareBinding(r.hex()).boundTo(decoded)).isEmpty()) {
            return Optional.of("invoice_not_bound_to_job");
        }
        if (decoded.expiresAt() <= nowSeconds) {
            return Optional.of("invoice_expired");
        }
        return Optional.empty();
    }
}
