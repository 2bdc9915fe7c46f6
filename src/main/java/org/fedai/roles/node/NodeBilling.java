package org.fedai.roles.node;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.nostr.Hex;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.HoldResult;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.roles.node.machine.InvoiceAnswer;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJob;

/**
 * The node's side of getting paid, in the wallet's terms: invoices bound to a job, settlement as the wallet
 * reports it, and cancelling what must no longer be payable. The wallet is asked, never trusted to call back,
 * so that it works with a wallet in another process and across restarts.
 */
final class NodeBilling {

    private final PaymentBackend wallet;
    private final Duration invoiceExpiry;
    /**
     * What the wallet reported of the node's invoices (NIP-47 {@code hold_invoice_accepted} and {@code payment_received},
     * LND's invoice stream), by payment hash: its report answers "is it held?" or "is it paid?" as a lookup would, which
     * over NWC would put two relay hops between a work order and its run. Bounded: a hash not kept is asked about.
     */
    private final Cache<String, InvoiceState> reported = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofHours(1)).build();

    NodeBilling(PaymentBackend wallet, Duration invoiceExpiry) {
        this.wallet = wallet;
        this.invoiceExpiry = invoiceExpiry;
    }

    /**
     * An invoice of {@code amount} bound to the job by its description hash: plain, or a hold invoice for
     * {@code holdHash} (null: plain), whose preimage the node keeps. Asked again after a crash, the wallet may already
     * hold that hold invoice: then it is the one.
     */
    InvoiceAnswer invoice(JobId jobId, Msat amount, byte[] holdHash) {
        InvoiceRequest request = InvoiceRequest.forJob(amount.value(), new JobBinding(jobId.hex()), invoiceExpiry.toSeconds());
        InvoiceResult made = holdHash == null ? wallet.makeInvoice(request) : wallet.makeHoldInvoice(request, holdHash);
        return switch (made) {
            case InvoiceResult.Created c -> new InvoiceAnswer.Issued(
                    new NodeJob.InvoiceRef(c.bolt11(), Hex.encode(c.paymentHash()), c.expiresAt()));
            case InvoiceResult.Failed f -> holdHash != null && wallet.lookup(holdHash) instanceof LookupResult.Found found
                    && (found.state() == InvoiceState.OPEN || found.state() == InvoiceState.HELD)
                    ? new InvoiceAnswer.Issued(new NodeJob.InvoiceRef(found.bolt11(), Hex.encode(holdHash),
                            found.expiresAt()))
                    : new InvoiceAnswer.Refused(f.reason().toString(), f.detail(), unanswered(f.reason()));
        };
    }

    /** The wallet gave no answer, or could not be reached: nothing definite, worth asking again. */
    private static boolean unanswered(BackendFailure reason) {
        return reason == BackendFailure.BACKEND_ERROR || reason == BackendFailure.OUTCOME_UNKNOWN;
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

    /** Calls {@code listener} with the payment hash of every hold payment the wallet reports locked. */
    PaymentBackend.Subscription onHeld(java.util.function.Consumer<byte[]> listener) {
        return wallet.subscribeHeld(hash -> {
            reported.asMap().putIfAbsent(Hex.encode(hash), InvoiceState.HELD); // a settlement reported first stays
            listener.accept(hash);
        });
    }

    /** The wallet's answer to a lookup after a restart, kept as its report would have been. */
    void noteHeld(String paymentHash) {
        reported.asMap().putIfAbsent(paymentHash, InvoiceState.HELD);
    }

    /**
     * Whether the wallet reported this hold invoice held: a report that came before the job could use it (a client
     * paying a quoted hold spare can beat the router's work order) still answers when the job asks.
     */
    boolean reportedHeld(String paymentHash) {
        return reported.getIfPresent(paymentHash) != null; // held, or settled since: paid into either way
    }

    /** Whether the wallet reported {@code paymentHash} settled (and it is still remembered). */
    boolean reportedSettled(String paymentHash) {
        return reported.getIfPresent(paymentHash) == InvoiceState.SETTLED;
    }

    /** Calls {@code listener} with the payment hash of every settlement the wallet reports, remembered first. */
    PaymentBackend.Subscription onSettled(java.util.function.Consumer<byte[]> listener) {
        return wallet.subscribeSettlements(s -> {
            reported.put(Hex.encode(s.paymentHash()), InvoiceState.SETTLED);
            listener.accept(s.paymentHash());
        });
    }

    boolean settled(String paymentHash) {
        return wallet.lookup(Hex.decode(paymentHash)) instanceof LookupResult.Found f
                && f.state() == InvoiceState.SETTLED;
    }

}
