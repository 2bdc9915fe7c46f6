package org.fedai.roles.client;

import java.util.Optional;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Invoice;
import org.fedai.payment.JobBinding;

/**
 * What a client checks before paying any invoice, node's or router's: that it is a BOLT11 invoice signed by
 * the Lightning key its payee declared in a signed Nostr event, for exactly the quoted amount, bound to this
 * job, and not expired. Paying first and disputing later is not an option with Lightning.
 */
final class InvoiceRules {

    private InvoiceRules() {
    }

    /** Why the router's fee invoice in the job's quote may not be paid (checked as the node's is); empty when it may. */
    static Optional<String> feeProblem(ClientContext peers, ClientStep step) {
        org.fedai.protocol.Quote q = step.job.quote;
        return check(peers, q.routerFeeInvoice(), step.job.router, Msat.of(q.routerFeeMsat()), step.job.jobId,
                step.nowSeconds());
    }

    /** Why the invoice may not be paid; empty when it may. */
    static Optional<String> check(ClientContext peers, String bolt11, PublicKey payee, Msat amount, JobId jobId,
            long nowSeconds) {
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
        if (!new JobBinding(jobId.hex()).boundTo(decoded)) {
            return Optional.of("invoice_not_bound_to_job");
        }
        if (decoded.expiresAt() <= nowSeconds) {
            return Optional.of("invoice_expired");
        }
        return Optional.empty();
    }
}
