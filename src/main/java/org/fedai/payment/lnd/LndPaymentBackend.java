package org.fedai.payment.lnd;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Exception;
import org.fedai.payment.Bolt11Invoice;
import org.fedai.payment.Bolt11Network;
import org.fedai.payment.HoldResult;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.payment.PayableInvoice;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.Settlement;
import org.fedai.store.InvoiceState;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.AddHoldInvoiceRequest;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.AddHoldInvoiceResp;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.CancelInvoiceMsg;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.SettleInvoiceMsg;
import org.lightningj.lnd.proto.LightningApi.AddInvoiceResponse;
import org.lightningj.lnd.proto.LightningApi.GetInfoRequest;
import org.lightningj.lnd.proto.LightningApi.GetInfoResponse;
import org.lightningj.lnd.proto.LightningApi.Invoice;
import org.lightningj.lnd.proto.LightningApi.Payment;
import org.lightningj.lnd.proto.LightningApi.PaymentHash;
import org.lightningj.lnd.router.proto.RouterOuterClass.SendPaymentRequest;
import org.lightningj.lnd.router.proto.RouterOuterClass.TrackPaymentRequest;

/**
 * A {@link PaymentBackend} over an LND node's gRPC API, through lightningj's generated stubs:
 * lnrpc AddInvoice / LookupInvoice / SubscribeInvoices, invoicesrpc AddHoldInvoice / SettleInvoice /
 * CancelInvoice, routerrpc SendPaymentV2 / TrackPaymentV2. Every failure (gRPC status, deadline, refused
 * macaroon, untrusted certificate, node gone) comes back as a result; see {@link LndError}.
 *
 * <p>What LND returns is checked, not trusted: its invoices must decode, carry the amount, payment hash
 * and description hash asked for and be signed by the node's own key; a payment's preimage must hash to
 * the invoice's payment hash. LND itself refuses to pay a payment hash twice; when a pay call's answer
 * is lost the payment is tracked (TrackPaymentV2) instead of being sent again.
 */
public final class LndPaymentBackend implements PaymentBackend, AutoCloseable {

    private final LndChannel lnd;
    private final String nodeId;
    private final Bolt11Network network;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lnd-resubscribe");
        t.setDaemon(true);
        return t;
    });

    private LndPaymentBackend(LndChannel lnd, String nodeId, Bolt11Network network) {
        this.lnd = lnd;
        this.nodeId = nodeId;
        this.network = network;
    }

    /**
     * Opens the channel and asks the node who it is (GetInfo: identity key and chain).
     *
     * @throws LndException with the reason when the files cannot be read or the node refuses or cannot be reached
     */
    public static LndPaymentBackend connect(LndConfig config) {
        LndChannel lnd = LndChannel.open(config);
        try {
            GetInfoResponse info = lnd.lightning().getInfo(GetInfoRequest.getDefaultInstance());
            if (!Hex.isLowerHex(info.getIdentityPubkey(), 33)) {
                throw new LndException("LND at " + config.address() + " reported no identity key");
            }
            String chain = info.getChainsCount() == 0 ? "mainnet" : info.getChains(0).getNetwork();
            return new LndPaymentBackend(lnd, info.getIdentityPubkey(), networkOf(chain));
        } catch (RuntimeException e) {
            lnd.close();
            throw e instanceof LndException le ? le : new LndException(e instanceof IllegalArgumentException
                    ? e.getMessage() : LndError.of(e, config.address()).detail(), e);
        }
    }

    static Bolt11Network networkOf(String lndNetwork) {
        return switch (lndNetwork.toLowerCase(Locale.ROOT)) {
            case "mainnet", "bitcoin", "" -> Bolt11Network.BITCOIN;
            case "testnet", "testnet3", "testnet4" -> Bolt11Network.TESTNET;
            case "signet" -> Bolt11Network.SIGNET;
            case "regtest" -> Bolt11Network.REGTEST;
            case "simnet" -> Bolt11Network.SIMNET;
            default -> throw new IllegalArgumentException("LND runs on an unknown network '" + lndNetwork + "'");
        };
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Bolt11Network network() {
        return network;
    }

    @Override
    public InvoiceResult makeInvoice(InvoiceRequest request) {
        Invoice.Builder add = Invoice.newBuilder().setExpiry(request.expirySeconds())
                .setValueMsat(request.amountMsat().orElse(0));
        if (request.descriptionHash() != null) {
            add.setDescriptionHash(ByteString.copyFrom(request.descriptionHash()));
        } else {
            add.setMemo(request.description());
        }
        try {
            AddInvoiceResponse created = lnd.lightning().addInvoice(add.build());
            return checked(created.getPaymentRequest(), request, created.getRHash().toByteArray());
        } catch (RuntimeException e) {
            LndError error = LndError.of(e, lnd.config().address());
            return new InvoiceResult.Failed(error.reason(), error.detail());
        }
    }

    @Override
    public InvoiceResult makeHoldInvoice(InvoiceRequest request, byte[] paymentHash) {
        if (paymentHash == null || paymentHash.length != 32) {
            return new InvoiceResult.Failed(BackendFailure.INVALID_REQUEST, "payment hash must be 32 bytes");
        }
        AddHoldInvoiceRequest.Builder add = AddHoldInvoiceRequest.newBuilder().setHash(ByteString.copyFrom(paymentHash))
                .setExpiry(request.expirySeconds()).setValueMsat(request.amountMsat().orElse(0));
        if (request.descriptionHash() != null) {
            add.setDescriptionHash(ByteString.copyFrom(request.descriptionHash()));
        } else {
            add.setMemo(request.description());
        }
        try {
            AddHoldInvoiceResp created = lnd.invoices().addHoldInvoice(add.build());
            return checked(created.getPaymentRequest(), request, paymentHash);
        } catch (RuntimeException e) {
            LndError error = LndError.of(e, lnd.config().address());
            return new InvoiceResult.Failed(error.reason(), error.detail());
        }
    }

    /** An LND that dropped the description hash or the amount would break the job binding: refuse its invoice. */
    private InvoiceResult checked(String bolt11, InvoiceRequest request, byte[] paymentHash) {
        Bolt11Invoice invoice;
        try {
            invoice = Bolt11Codec.decode(bolt11);
        } catch (Bolt11Exception e) {
            return new InvoiceResult.Failed(BackendFailure.BACKEND_ERROR, "LND's invoice does not decode: " + e.getMessage());
        }
        String problem = invoice.network() != network ? "is for " + invoice.network() + ", not " + network
                : !invoice.amountMsat().equals(request.amountMsat()) ? "asks " + invoice.amountMsat() + " msat, not "
                        + request.amountMsat()
                : !Arrays.equals(invoice.paymentHash(), paymentHash) ? "has another payment hash than LND reported"
                : request.descriptionHash() != null && !invoice.descriptionHash()
                        .map(h -> Arrays.equals(h, request.descriptionHash())).orElse(false)
                        ? "does not commit to the requested description hash"
                : !invoice.payeeHex().equals(nodeId) ? "is signed by " + invoice.payeeHex() + ", not by node " + nodeId
                : null;
        return problem != null ? new InvoiceResult.Failed(BackendFailure.BACKEND_ERROR, "LND's invoice " + problem)
                : new InvoiceResult.Created(bolt11, paymentHash, invoice.expiresAt());
    }

    @Override
    public HoldResult settle(byte[] preimage) {
        if (preimage == null || preimage.length != 32) {
            return new HoldResult.Failed(BackendFailure.PREIMAGE_MISMATCH, "preimage must be 32 bytes");
        }
        byte[] hash = Sha256.hash(preimage);
        try {
            lnd.invoices().settleInvoice(SettleInvoiceMsg.newBuilder().setPreimage(ByteString.copyFrom(preimage)).build());
            return new HoldResult.Done(hash, InvoiceState.SETTLED);
        } catch (RuntimeException e) {
            LndError error = LndError.of(e, lnd.config().address());
            // for settle, "no invoice has this hash" means the preimage is not one of ours
            BackendFailure reason = error.reason() == BackendFailure.UNKNOWN_INVOICE ? BackendFailure.PREIMAGE_MISMATCH
                    : error.reason();
            return new HoldResult.Failed(reason, error.detail());
        }
    }

    @Override
    public HoldResult cancel(byte[] paymentHash) {
        try {
            lnd.invoices().cancelInvoice(CancelInvoiceMsg.newBuilder().setPaymentHash(ByteString.copyFrom(paymentHash))
                    .build());
            return new HoldResult.Done(paymentHash, InvoiceState.CANCELLED);
        } catch (RuntimeException e) {
            LndError error = LndError.of(e, lnd.config().address());
            return new HoldResult.Failed(error.reason(), error.detail());
        }
    }

    /** One of our invoices (LookupInvoice), else one of our payments (TrackPaymentV2), as the payer sees it. */
    @Override
    public LookupResult lookup(byte[] paymentHash) {
        try {
            Invoice invoice = lnd.lightning().lookupInvoice(PaymentHash.newBuilder()
                    .setRHash(ByteString.copyFrom(paymentHash)).build());
            return found(paymentHash, invoice);
        } catch (RuntimeException e) {
            LndError error = LndError.of(e, lnd.config().address());
            if (error.reason() != BackendFailure.UNKNOWN_INVOICE) {
                return new LookupResult.Failed(error.reason(), error.detail());
            }
        }
        PaymentWatch<TrackPaymentRequest> watch = new PaymentWatch<>();
        lnd.routerStreams().trackPaymentV2(trackRequest(paymentHash), watch);
        return switch (watch.first(lnd.config().callTimeout())) {
            case PaymentWatch.Outcome.Final f -> outgoing(paymentHash, f.payment());
            case PaymentWatch.Outcome.Broken b when LndError.of(b.error(), lnd.config().address()).reason()
                    == BackendFailure.UNKNOWN_INVOICE -> new LookupResult.NotFound(paymentHash);
            case PaymentWatch.Outcome.Broken b -> new LookupResult.Failed(BackendFailure.BACKEND_ERROR,
                    LndError.of(b.error(), lnd.config().address()).detail());
            default -> new LookupResult.Failed(BackendFailure.BACKEND_ERROR, "LND did not report the payment in time");
        };
    }

    private LookupResult found(byte[] hash, Invoice invoice) {
        long expiresAt = invoice.getCreationDate() + invoice.getExpiry();
        long now = System.currentTimeMillis() / 1000;
        InvoiceState state = switch (invoice.getState()) {
            case ACCEPTED -> InvoiceState.HELD;
            case SETTLED -> InvoiceState.SETTLED;
            // LND cancels open invoices when they expire: unpaid and past expiry reads as expired
            case CANCELED -> invoice.getAmtPaidMsat() == 0 && now >= expiresAt ? InvoiceState.EXPIRED
                    : InvoiceState.CANCELLED;
            default -> now >= expiresAt ? InvoiceState.EXPIRED : InvoiceState.OPEN;
        };
        byte[] preimage = invoice.getRPreimage().toByteArray();
        Optional<byte[]> proof = preimage.length == 32 && Arrays.equals(Sha256.hash(preimage), hash)
                ? Optional.of(preimage) : Optional.empty();
        OptionalLong amount = invoice.getValueMsat() > 0 ? OptionalLong.of(invoice.getValueMsat()) : OptionalLong.empty();
        OptionalLong paid = invoice.getAmtPaidMsat() > 0 ? OptionalLong.of(invoice.getAmtPaidMsat()) : OptionalLong.empty();
        // LND knows a plain invoice's preimage from the start, a hold invoice's only once settled
        return new LookupResult.Found(hash, invoice.getPaymentRequest(), state, amount, paid, proof, expiresAt);
    }

    private static LookupResult outgoing(byte[] hash, Payment p) {
        Optional<byte[]> preimage = preimageOf(p, hash);
        InvoiceState state = switch (p.getStatus()) {
            case SUCCEEDED -> preimage.isPresent() ? InvoiceState.SETTLED : InvoiceState.HELD;
            case FAILED -> InvoiceState.CANCELLED;
            default -> InvoiceState.HELD; // in flight: the amount is committed until the payee decides
        };
        long expiresAt = 0;
        try {
            expiresAt = Bolt11Codec.decode(p.getPaymentRequest()).expiresAt();
        } catch (Bolt11Exception e) {
            // keysend and other payments without an invoice have no expiry to report
        }
        return new LookupResult.Found(hash, p.getPaymentRequest(), state, OptionalLong.of(p.getValueMsat()),
                state == InvoiceState.CANCELLED ? OptionalLong.empty() : OptionalLong.of(p.getValueMsat()),
                preimage, expiresAt);
    }

    @Override
    public PayResult pay(String bolt11, OptionalLong amountMsat) {
        Bolt11Invoice invoice;
        long amount;
        switch (PayableInvoice.check(bolt11, amountMsat, network, "LND pays")) {
            case PayableInvoice.Refused r -> {
                return r.failure();
            }
            case PayableInvoice.Payable p -> {
                invoice = p.payable().invoice();
                amount = p.payable().amountMsat();
            }
        }
        if (System.currentTimeMillis() / 1000 >= invoice.expiresAt()) {
            return new PayResult.Failed(BackendFailure.EXPIRED, "invoice expired at " + invoice.expiresAt());
        }
        SendPaymentRequest.Builder send = SendPaymentRequest.newBuilder().setPaymentRequest(bolt11)
                .setTimeoutSeconds((int) Math.min(Integer.MAX_VALUE, lnd.config().payTimeout().toSeconds()))
                .setFeeLimitMsat(lnd.config().feeLimitMsat());
        if (invoice.amountMsat().isEmpty()) {
            send.setAmtMsat(amount);
        }
        PaymentWatch<SendPaymentRequest> watch = new PaymentWatch<>();
        lnd.routerStreams().sendPaymentV2(send.build(), watch);
        // a little beyond LND's own timeout, so that LND's FAILED(TIMEOUT) arrives before our deadline
        PaymentWatch.Outcome outcome = watch.await(lnd.config().payTimeout().plusSeconds(5), lnd.config().pendingAfter());
        return paid(invoice, amount, outcome, true);
    }

    private PayResult paid(Bolt11Invoice invoice, long amount, PaymentWatch.Outcome outcome, boolean mayTrack) {
        byte[] hash = invoice.paymentHash();
        return switch (outcome) {
            case PaymentWatch.Outcome.Final f when f.payment().getStatus() == Payment.PaymentStatus.SUCCEEDED ->
                    preimageOf(f.payment(), hash).<PayResult>map(p -> new PayResult.Paid(hash, p, amount))
                            .orElseGet(() -> new PayResult.Failed(BackendFailure.BACKEND_ERROR, "LND reported success"
                                    + " with a preimage that does not hash to the invoice's payment hash"));
            case PaymentWatch.Outcome.Final f -> failed(f.payment());
            case PaymentWatch.Outcome.Held h -> new PayResult.Pending(hash, amount);
            case PaymentWatch.Outcome.TimedOut t when t.last() != null && PaymentWatch.htlcInFlight(t.last()) ->
                    new PayResult.Pending(hash, amount);
            case PaymentWatch.Outcome.TimedOut t -> new PayResult.Failed(BackendFailure.OUTCOME_UNKNOWN, "LND gave no"
                    + " final status within " + lnd.config().payTimeout().toSeconds() + " s: look the payment up later");
            case PaymentWatch.Outcome.Broken b -> {
                LndError error = LndError.of(b.error(), lnd.config().address());
                String text = String.valueOf(b.error().getMessage()).toLowerCase(Locale.ROOT);
                if (mayTrack && (error.acted() == LndError.Acted.UNKNOWN || text.contains("in transition"))) {
                    // sent before, or the answer was lost: LND's record of the hash decides, never a second send
                    yield paid(invoice, amount, track(hash, lnd.config().payTimeout()), false);
                }
                if (mayTrack) {
                    yield new PayResult.Failed(error.reason(), error.detail()); // refused before anything moved
                }
                if (error.reason() == BackendFailure.UNKNOWN_INVOICE) {
                    yield new PayResult.Failed(BackendFailure.PAYMENT_FAILED, "LND has no record of the payment:"
                            + " nothing was paid");
                }
                yield new PayResult.Failed(BackendFailure.OUTCOME_UNKNOWN, error.detail()
                        + "; the payment may have gone through: look it up later, never pay it elsewhere");
            }
        };
    }

    /** LND's reasons for a failed payment: nothing was paid. */
    private static PayResult failed(Payment p) {
        String reason = p.getFailureReason().name();
        return switch (p.getFailureReason()) {
            case FAILURE_REASON_INSUFFICIENT_BALANCE -> new PayResult.Failed(BackendFailure.INSUFFICIENT_BALANCE,
                    "LND: " + reason + ": the channels' outbound liquidity does not cover the amount and fees");
            case FAILURE_REASON_NO_ROUTE -> new PayResult.Failed(BackendFailure.PAYMENT_FAILED,
                    "LND: " + reason + ": no route to the payee within the fee limit");
            case FAILURE_REASON_TIMEOUT -> new PayResult.Failed(BackendFailure.PAYMENT_FAILED,
                    "LND: " + reason + ": no route found before the payment timeout");
            case FAILURE_REASON_INCORRECT_PAYMENT_DETAILS -> new PayResult.Failed(BackendFailure.PAYMENT_FAILED,
                    "LND: " + reason + ": the payee refused (unknown payment hash, wrong amount or expired)");
            default -> new PayResult.Failed(BackendFailure.PAYMENT_FAILED, "LND: " + reason);
        };
    }

    private PaymentWatch.Outcome track(byte[] hash, Duration wait) {
        PaymentWatch<TrackPaymentRequest> watch = new PaymentWatch<>();
        lnd.routerStreams().trackPaymentV2(trackRequest(hash), watch);
        return watch.await(wait, lnd.config().pendingAfter());
    }

    private static TrackPaymentRequest trackRequest(byte[] hash) {
        return TrackPaymentRequest.newBuilder().setPaymentHash(ByteString.copyFrom(hash)).build();
    }

    private static Optional<byte[]> preimageOf(Payment p, byte[] hash) {
        String hex = p.getPaymentPreimage().toLowerCase(Locale.ROOT);
        if (!Hex.isLowerHex(hex, 32)) {
            return Optional.empty();
        }
        byte[] preimage = Hex.decode(hex);
        return Arrays.equals(Sha256.hash(preimage), hash) ? Optional.of(preimage) : Optional.empty();
    }

    @Override
    public Subscription subscribeSettlements(Consumer<Settlement> listener) {
        return new SettlementStream(lnd, timer, listener).open();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        lnd.close();
    }
}
