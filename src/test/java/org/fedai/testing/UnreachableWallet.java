package org.fedai.testing;

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
 * A test-side wrapper: a real wallet that, while {@link #down} is set, answers every call as an unreachable NWC
 * wallet does (BACKEND_ERROR), so a test can take a role's wallet away at a chosen moment and bring it back; and
 * that can leave the next pays unanswered ({@link #unansweredPays}: OUTCOME_UNKNOWN, nothing paid), as a wallet
 * that restarts while a pay_invoice is on its way does. It reports no held payments (the default
 * {@link PaymentBackend#subscribeHeld}), as a wallet without hold notifications: its holder finds them on its sweep.
 */
public final class UnreachableWallet implements PaymentBackend {

    private final PaymentBackend wallet;
    public volatile boolean down;
    private final java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger unansweredSoFar = new java.util.concurrent.atomic.AtomicInteger();

    public UnreachableWallet(PaymentBackend wallet) {
        this.wallet = wallet;
    }

    /** The next {@code n} pays get no answer and move nothing. */
    public UnreachableWallet unansweredPays(int n) {
        unanswered.set(n);
        return this;
    }

    /** How many pays went unanswered so far. */
    public int unansweredSoFar() {
        return unansweredSoFar.get();
    }

    @Override
    public String nodeId() {
        return wallet.nodeId();
    }

    @Override
    public Bolt11Network network() {
        return wallet.network();
    }

    @Override
    public InvoiceResult makeInvoice(InvoiceRequest request) {
        return down ? new InvoiceResult.Failed(BackendFailure.BACKEND_ERROR, "TIMEOUT: make_invoice (test: down)")
                : wallet.makeInvoice(request);
    }

    @Override
    public InvoiceResult makeHoldInvoice(InvoiceRequest request, byte[] paymentHash) {
        return down ? new InvoiceResult.Failed(BackendFailure.BACKEND_ERROR, "TIMEOUT: make_hold_invoice (test: down)")
                : wallet.makeHoldInvoice(request, paymentHash);
    }

    @Override
    public HoldResult settle(byte[] preimage) {
        return down ? new HoldResult.Failed(BackendFailure.BACKEND_ERROR, "down") : wallet.settle(preimage);
    }

    @Override
    public HoldResult cancel(byte[] paymentHash) {
        return down ? new HoldResult.Failed(BackendFailure.BACKEND_ERROR, "down") : wallet.cancel(paymentHash);
    }

    @Override
    public LookupResult lookup(byte[] paymentHash) {
        return down ? new LookupResult.Failed(BackendFailure.BACKEND_ERROR, "down") : wallet.lookup(paymentHash);
    }

    @Override
    public PayResult pay(String bolt11, OptionalLong amountMsat) {
        if (unanswered.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            unansweredSoFar.incrementAndGet();
            return new PayResult.Failed(BackendFailure.OUTCOME_UNKNOWN, "TIMEOUT: pay_invoice (test: no answer)");
        }
        return down ? new PayResult.Failed(BackendFailure.BACKEND_ERROR, "down") : wallet.pay(bolt11, amountMsat);
    }

    @Override
    public Subscription subscribeSettlements(Consumer<Settlement> listener) {
        return wallet.subscribeSettlements(listener);
    }
}
