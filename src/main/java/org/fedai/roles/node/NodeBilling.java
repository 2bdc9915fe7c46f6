package org.fedai.roles.node;

import java.time.Duration;
import org.fedai.nostr.Hex;
import org.fedai.payment.HoldResult;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJob;

/**
 * The node's side of getting paid, in the wallet's terms: invoices bound to a job, settlement as the wallet
 * reports it, and cancelling what must no longer be payable. The wallet is asked, never trusted to call back,
 * so that it works with a wallet in another process and across restarts.
 */
final class NodeBilling {

    /** An invoice issued for a job, or why the wallet would not issue it. */
    sealed interface Issued {
        record Invoice(NodeJob.InvoiceRef ref) implements Issued { }

        record Refused(String reason, String detail) implements Issued {
            /** The wallet gave no answer, or could not be reached: nothing definite, worth asking again. */
            boolean unanswered() {
                return reason.equals(org.fedai.payment.BackendFailure.BACKEND_ERROR.name())
                        || reason.equals(org.fedai.payment.BackendFailure.OUTCOME_UNKNOWN.name());
            }
        }
    }

    private final PaymentBackend wallet;
    private final Duration invoiceExpiry;

    NodeBilling(PaymentBackend wallet, Duration invoiceExpiry) {
        this.wallet = wallet;
        this.invoiceExpiry = invoiceExpiry;
    }

    /** Invoices the quoted price, bound to the job by its description hash. */
    Issued invoice(NodeJob job) {
        return switch (wallet.makeInvoice(InvoiceRequest.forJob(job.terms().priceMsat(), new JobBinding(job.jobId()),
                invoiceExpiry.toSeconds()))) {
            case InvoiceResult.Created c -> new Issued.Invoice(
                    new NodeJob.InvoiceRef(c.bolt11(), Hex.encode(c.paymentHash()), c.expiresAt()));
            case InvoiceResult.Failed f -> new Issued.Refused(f.reason().toString(), f.detail());
        };
    }

    /**
     * A hold invoice for the quoted price, bound to the job, for a hash whose preimage the node keeps. Asked again
     * after a crash, the wallet may already hold it: then that invoice is the one.
     */
    Issued holdInvoice(NodeJob job, byte[] paymentHash) {
        return holdInvoice(job, job.terms().priceMsat(), paymentHash);
    }

    /** A hold invoice for {@code amountMsat} (one part of a partial job), bound to the job. */
    Issued holdInvoice(NodeJob job, long amountMsat, byte[] paymentHash) {
        InvoiceResult made = wallet.makeHoldInvoice(InvoiceRequest.forJob(amountMsat,
                new JobBinding(job.jobId()), invoiceExpiry.toSeconds()), paymentHash);
        return switch (made) {
            case InvoiceResult.Created c -> new Issued.Invoice(
                    new NodeJob.InvoiceRef(c.bolt11(), Hex.encode(c.paymentHash()), c.expiresAt()));
            case InvoiceResult.Failed f -> wallet.lookup(paymentHash) instanceof LookupResult.Found found
                    && (found.state() == InvoiceState.OPEN || found.state() == InvoiceState.HELD)
                    ? new Issued.Invoice(new NodeJob.InvoiceRef(found.bolt11(), Hex.encode(paymentHash),
                            found.expiresAt()))
                    : new Issued.Refused(f.reason().toString(), f.detail());
        };
    }

    /** The wallet's state of one of the node's invoices, empty when it cannot tell now. */
    java.util.Optional<InvoiceState> state(String paymentHash) {
        return wallet.lookup(Hex.decode(paymentHash)) instanceof LookupResult.Found f ? java.util.Optional.of(f.state())
                : java.util.Optional.empty();
    }

    /** Releases a held payment; true once the invoice is settled (now or before a crash). */
    boolean settle(String paymentHash, byte[] preimage) {
        return wallet.settle(preimage) instanceof HoldResult.Done
                || state(paymentHash).filter(InvoiceState.SETTLED::equals).isPresent();
    }

    void cancel(String paymentHash) {
        wallet.cancel(Hex.decode(paymentHash));
    }

    /** The preimage of one of the node's invoices once the wallet shows it settled. */
    java.util.Optional<byte[]> settledPreimage(String paymentHash) {
        return wallet.lookup(Hex.decode(paymentHash)) instanceof LookupResult.Found f
                && f.state() == InvoiceState.SETTLED ? f.preimage() : java.util.Optional.empty();
    }

    /** Calls {@code listener} with the payment hash of every settlement the wallet reports. */
    PaymentBackend.Subscription onSettled(java.util.function.Consumer<byte[]> listener) {
        return wallet.subscribeSettlements(s -> listener.accept(s.paymentHash()));
    }

    boolean settled(String paymentHash) {
        return wallet.lookup(Hex.decode(paymentHash)) instanceof LookupResult.Found f
                && f.state() == InvoiceState.SETTLED;
    }

    /**
     * An unpaid invoice for work that will not be done must not be payable any more; a hold invoice is cancelled
     * even after the work order, which refunds the client's locked payment.
     */
    void cancelIfUnordered(NodeJob job) {
        job.invoice().filter(i -> job.order().isEmpty() || job.holdInvoice())
                .ifPresent(i -> wallet.cancel(Hex.decode(i.paymentHash())));
    }
}
