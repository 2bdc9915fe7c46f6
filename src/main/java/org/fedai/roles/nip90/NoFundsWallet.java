package org.fedai.roles.nip90;

import java.util.OptionalLong;
import java.util.function.Consumer;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.Bolt11Network;
import org.fedai.payment.HoldResult;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.Settlement;

/**
 * The wallet a NIP-90 gateway's client role holds: none. Its customers pay nodes directly, so the gateway must never
 * pay, receive or hold anything, and by construction it cannot: every call fails.
 */
final class NoFundsWallet implements PaymentBackend {

    private static final String WHY = "a NIP-90 gateway holds no funds: its customers pay nodes directly";

    @Override
    public String nodeId() {
        return "";
    }

    @Override
    public Bolt11Network network() {
        return Bolt11Network.REGTEST;
    }

    @Override
    public InvoiceResult makeInvoice(InvoiceRequest request) {
        return new InvoiceResult.Failed(BackendFailure.INVALID_REQUEST, WHY);
    }

    @Override
    public InvoiceResult makeHoldInvoice(InvoiceRequest request, byte[] paymentHash) {
        return new InvoiceResult.Failed(BackendFailure.INVALID_REQUEST, WHY);
    }

    @Override
    public HoldResult settle(byte[] preimage) {
        return new HoldResult.Failed(BackendFailure.INVALID_REQUEST, WHY);
    }

    @Override
    public HoldResult cancel(byte[] paymentHash) {
        return new HoldResult.Failed(BackendFailure.INVALID_REQUEST, WHY);
    }

    @Override
    public LookupResult lookup(byte[] paymentHash) {
        return new LookupResult.NotFound(paymentHash);
    }

    @Override
    public PayResult pay(String bolt11, OptionalLong amountMsat) {
        return new PayResult.Failed(BackendFailure.PAYMENT_FAILED, WHY);
    }

    @Override
    public Subscription subscribeSettlements(Consumer<Settlement> listener) {
        return () -> { };
    }
}
