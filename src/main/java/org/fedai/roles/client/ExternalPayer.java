package org.fedai.roles.client;

import java.util.concurrent.CompletableFuture;
import org.fedai.protocol.Invoice;

/**
 * Whoever pays a timing-{@code external} job outside fedai: a NIP-90 gateway hands the node's invoice to its
 * customer. Called once the invoice passed the client's checks (payee, amount, job binding, expiry).
 */
@FunctionalInterface
public interface ExternalPayer {

    /** {@code job} is the future {@link ClientRole#submit} returned for the job this invoice is for. */
    void requestPayment(CompletableFuture<JobOutcome> job, Invoice invoice);

    /** The default: a client that was not given a payer refuses external jobs rather than leaving them hanging. */
    ExternalPayer NONE = (job, invoice) -> { };
}
