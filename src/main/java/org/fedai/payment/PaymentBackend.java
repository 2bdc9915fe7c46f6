package org.fedai.payment;

import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A Lightning wallet as fedai roles need it: a node issues invoices (plain, or hold invoices it
 * settles only when the work is done), a client pays them, and the node hears of settlements.
 * Implementations: {@link DevWallet} (in-process ledger), {@code nwc.NwcPaymentBackend} (any NIP-47 wallet),
 * {@code lnd.LndPaymentBackend} (an LND node over gRPC, with its TLS certificate and a macaroon). Every
 * method reports failure in its result instead of throwing, so a role's state machine can
 * record the outcome; only programming errors (null arguments) throw.
 */
public interface PaymentBackend {

    /** The 33-byte compressed Lightning node id (hex) that signs this backend's invoices. */
    String nodeId();

    /** The chain this backend's invoices are for. */
    Bolt11Network network();

    /** An invoice whose preimage the backend chooses and reveals to whoever pays. */
    InvoiceResult makeInvoice(InvoiceRequest request);

    /**
     * A hold invoice for a hash whose preimage the caller keeps: paying it only locks the funds,
     * until {@link #settle} with the preimage or {@link #cancel}.
     */
    InvoiceResult makeHoldInvoice(InvoiceRequest request, byte[] paymentHash);

    /** Releases a held payment: the preimage proves it is ours to settle. */
    HoldResult settle(byte[] preimage);

    /** Cancels an open or held invoice; held funds go back to the payer. */
    HoldResult cancel(byte[] paymentHash);

    /** The state of one of this backend's invoices. */
    LookupResult lookup(byte[] paymentHash);

    /**
     * Pays an invoice. {@code amountMsat} is required for an invoice without an amount and must be
     * empty or equal otherwise.
     */
    PayResult pay(String bolt11, OptionalLong amountMsat);

    /** Calls {@code listener} for every settlement of this backend's invoices until the handle is closed. */
    Subscription subscribeSettlements(Consumer<Settlement> listener);

    /**
     * Calls {@code listener} with the payment hash of each of this backend's hold invoices a payer locked funds to
     * (NIP-47 {@code hold_invoice_accepted}). A backend that cannot tell keeps the default, which never calls: its
     * holder then finds held payments by asking ({@link #lookup}).
     */
    default Subscription subscribeHeld(Consumer<byte[]> listener) {
        return () -> { };
    }

    /**
     * Calls {@code listener} when one of our payments settles after {@link #pay} left it pending (a hold invoice the
     * payee settled later; NIP-47 {@code payment_sent}). A backend that cannot tell keeps the default, which never
     * calls: its payer then finds the preimage by asking ({@link #lookup}).
     */
    default Subscription subscribeSent(Consumer<PaymentSent> listener) {
        return () -> { };
    }

    /** A handle that stops a subscription. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
