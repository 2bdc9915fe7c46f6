package org.fedai.payment.nwc;

import org.fedai.payment.PaymentSent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
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

/**
 * A {@link PaymentBackend} over any NIP-47 wallet (Alby Hub, Coinos, LNbits, {@code fedai wallet serve}),
 * through an {@link NwcClient}. What the wallet returns is checked, not trusted: an invoice must carry the
 * amount, payment hash and description hash asked for, a preimage must hash to the invoice's payment hash.
 *
 * <p>Paying is never retried blindly. When pay_invoice times out, cannot be published or fails with a
 * non-definite error, the payment is looked up first: settled means paid (the answer was lost, not the
 * money), held means pending, and anything the lookup cannot settle is {@link BackendFailure#OUTCOME_UNKNOWN}.
 * Such a hash is remembered: a later pay of the same invoice looks it up again, and sends a second pay_invoice
 * only when the wallet has no record of the first (its request expired unheard, NIP-40, at our deadline).
 */
public final class NwcPaymentBackend implements PaymentBackend {

    private final NwcClient client;
    private final Bolt11Network network;
    private volatile String nodeId;
    /** Payment hashes whose pay_invoice was sent and may have been carried out: never sent again. */
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final List<Consumer<Settlement>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<byte[]>> heldListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<PaymentSent>> sentListeners = new CopyOnWriteArrayList<>();

    /** @param nodeId the wallet's Lightning node id, or null to learn it from the first invoice made */
    public NwcPaymentBackend(NwcClient client, String nodeId, Bolt11Network network) {
        this.client = client;
        this.nodeId = nodeId;
        this.network = network;
        client.onNotification(this::onNotification);
    }

    /** Asks the wallet (get_info) for its node id and chain. */
    public static NwcPaymentBackend connect(NwcClient client) {
        NwcResult.Info info = await(client.getInfo());
        return new NwcPaymentBackend(client, info.pubkey(), networkOf(info.network()));
    }

    static Bolt11Network networkOf(String name) {
        return switch (name == null ? "mainnet" : name.toLowerCase(Locale.ROOT)) {
            case "mainnet", "bitcoin" -> Bolt11Network.BITCOIN;
            case "testnet" -> Bolt11Network.TESTNET;
            case "signet" -> Bolt11Network.SIGNET;
            case "regtest" -> Bolt11Network.REGTEST;
            default -> throw new IllegalArgumentException("unknown network " + name);
        };
    }

    /** The wallet's node id; empty until known when the wallet's get_info does not tell it. */
    @Override
    public String nodeId() {
        return nodeId == null ? "" : nodeId;
    }

    @Override
    public Bolt11Network network() {
        return network;
    }

    @Override
    public InvoiceResult makeInvoice(InvoiceRequest request) {
        NwcRequest.MakeInvoice call = new NwcRequest.MakeInvoice(request.amountMsat().orElse(0),
                request.description(), hexOrNull(request.descriptionHash()), request.expirySeconds());
        return invoice(call, request, null);
    }

    @Override
    public InvoiceResult makeHoldInvoice(InvoiceRequest request, byte[] paymentHash) {
        if (paymentHash == null || paymentHash.length != 32) {
            return new InvoiceResult.Failed(BackendFailure.INVALID_REQUEST, "payment hash must be 32 bytes");
        }
        NwcRequest.MakeHoldInvoice call = new NwcRequest.MakeHoldInvoice(request.amountMsat().orElse(0),
                Hex.encode(paymentHash), request.description(), hexOrNull(request.descriptionHash()),
                request.expirySeconds(), null);
        return invoice(call, request, paymentHash);
    }

    private InvoiceResult invoice(NwcRequest call, InvoiceRequest request, byte[] wantedHash) {
        NwcTransaction tx;
        try {
            tx = ((NwcResult.Transaction) await(client.send(call))).transaction();
        } catch (NwcException e) {
            return new InvoiceResult.Failed(e.walletCode().isPresent() ? BackendFailure.INVALID_REQUEST
                    : BackendFailure.BACKEND_ERROR, e.getMessage());
        } catch (ClassCastException e) {
            return new InvoiceResult.Failed(BackendFailure.BACKEND_ERROR, "wallet answered with no transaction");
        }
        Optional<String> problem = mismatch(tx, request, wantedHash);
        if (problem.isPresent()) {
            return new InvoiceResult.Failed(BackendFailure.BACKEND_ERROR, "the wallet's invoice " + problem.get());
        }
        Bolt11Invoice invoice = Bolt11Codec.decode(tx.invoice());
        if (nodeId == null) {
            nodeId = invoice.payeeHex();
        }
        return new InvoiceResult.Created(tx.invoice(), invoice.paymentHash(), invoice.expiresAt());
    }

    /** A wallet that ignores description_hash or the amount would break the job binding: refuse its invoice. */
    private Optional<String> mismatch(NwcTransaction tx, InvoiceRequest request, byte[] wantedHash) {
        if (tx.invoice() == null) {
            return Optional.of("is missing");
        }
        Bolt11Invoice invoice;
        try {
            invoice = Bolt11Codec.decode(tx.invoice());
        } catch (Bolt11Exception e) {
            return Optional.of("does not decode: " + e.getMessage());
        }
        if (invoice.network() != network) {
            return Optional.of("is for " + invoice.network() + ", not " + network);
        }
        if (!invoice.amountMsat().equals(request.amountMsat())) {
            return Optional.of("asks " + invoice.amountMsat() + " msat, not " + request.amountMsat());
        }
        if (!invoice.paymentHashHex().equals(tx.paymentHash())
                || (wantedHash != null && !Arrays.equals(invoice.paymentHash(), wantedHash))) {
            return Optional.of("has another payment hash than asked or reported");
        }
        if (request.descriptionHash() != null && !invoice.descriptionHash()
                .map(h -> Arrays.equals(h, request.descriptionHash())).orElse(false)) {
            return Optional.of("does not commit to the requested description hash");
        }
        if (nodeId != null && !nodeId.isEmpty() && !invoice.payeeHex().equals(nodeId)) {
            return Optional.of("is signed by " + invoice.payeeHex() + ", not by the wallet's node " + nodeId);
        }
        return Optional.empty();
    }

    @Override
    public HoldResult settle(byte[] preimage) {
        if (preimage == null || preimage.length != 32) {
            return new HoldResult.Failed(BackendFailure.PREIMAGE_MISMATCH, "preimage must be 32 bytes");
        }
        byte[] hash = Sha256.hash(preimage);
        try {
            await(client.settleHoldInvoice(Hex.encode(preimage)));
            return new HoldResult.Done(hash, InvoiceState.SETTLED);
        } catch (NwcException e) {
            return holdFailure(e, hash, BackendFailure.PREIMAGE_MISMATCH);
        }
    }

    @Override
    public HoldResult cancel(byte[] paymentHash) {
        try {
            await(client.cancelHoldInvoice(Hex.encode(paymentHash)));
            return new HoldResult.Done(paymentHash, InvoiceState.CANCELLED);
        } catch (NwcException e) {
            return holdFailure(e, paymentHash, BackendFailure.UNKNOWN_INVOICE);
        }
    }

    /** NIP-47 errors are coarse: the invoice's state tells not-yet-held from already-final. */
    private HoldResult holdFailure(NwcException e, byte[] hash, BackendFailure notFound) {
        if (e.walletCode().orElse(null) == NwcErrorCode.NOT_FOUND) {
            return new HoldResult.Failed(notFound, e.getMessage());
        }
        if (e.walletCode().isEmpty()) {
            return new HoldResult.Failed(BackendFailure.BACKEND_ERROR, e.getMessage());
        }
        return switch (lookup(hash)) {
            case LookupResult.Found f when f.state() == InvoiceState.OPEN ->
                    new HoldResult.Failed(BackendFailure.NOT_HELD, e.getMessage());
            case LookupResult.Found f when f.state().isFinal() ->
                    new HoldResult.Failed(BackendFailure.ALREADY_FINAL, "invoice is " + f.state() + ": " + e.getMessage());
            default -> new HoldResult.Failed(BackendFailure.BACKEND_ERROR, e.getMessage());
        };
    }

    @Override
    public LookupResult lookup(byte[] paymentHash) {
        NwcTransaction tx;
        try {
            tx = await(client.lookupInvoice(Hex.encode(paymentHash)));
        } catch (NwcException e) {
            return e.walletCode().orElse(null) == NwcErrorCode.NOT_FOUND ? new LookupResult.NotFound(paymentHash)
                    : new LookupResult.Failed(BackendFailure.BACKEND_ERROR, e.getMessage());
        }
        if (!tx.paymentHash().equals(Hex.encode(paymentHash))) {
            return new LookupResult.Failed(BackendFailure.BACKEND_ERROR, "the wallet answered about another payment hash");
        }
        Optional<byte[]> preimage = Optional.ofNullable(tx.preimage()).map(NwcPaymentBackend::proofBytes)
                .filter(p -> Arrays.equals(Sha256.hash(p), paymentHash));
        OptionalLong amount = tx.amountMsat() > 0 ? OptionalLong.of(tx.amountMsat()) : OptionalLong.empty();
        InvoiceState state = stateOf(tx, preimage.isPresent());
        OptionalLong paid = state == InvoiceState.SETTLED || state == InvoiceState.HELD ? amount : OptionalLong.empty();
        return new LookupResult.Found(paymentHash, tx.invoice(), state, amount, paid, preimage,
                tx.expiresAt() == null ? 0 : tx.expiresAt());
    }

    private static InvoiceState stateOf(NwcTransaction tx, boolean proven) {
        if (tx.state() == null) {
            // wallets before the state field: settled_at and a valid preimage are the only signs of payment
            return tx.settledAt() != null && proven ? InvoiceState.SETTLED : InvoiceState.OPEN;
        }
        return switch (tx.state()) {
            case SETTLED -> proven ? InvoiceState.SETTLED : InvoiceState.HELD;
            case ACCEPTED -> InvoiceState.HELD;
            // an outgoing payment still pending has its funds committed: not final, not payable again
            case PENDING -> tx.type() == NwcTransaction.Type.OUTGOING ? InvoiceState.HELD : InvoiceState.OPEN;
            case EXPIRED -> InvoiceState.EXPIRED;
            case FAILED -> InvoiceState.CANCELLED;
        };
    }

    @Override
    public PayResult pay(String bolt11, OptionalLong amountMsat) {
        Bolt11Invoice invoice;
        long amount;
        switch (PayableInvoice.check(bolt11, amountMsat, network, "the wallet pays")) {
            case PayableInvoice.Refused r -> {
                return r.failure();
            }
            case PayableInvoice.Payable p -> {
                invoice = p.payable().invoice();
                amount = p.payable().amountMsat();
            }
        }
        String hash = invoice.paymentHashHex();
        if (!attempted.add(hash)) {
            // sent before by us: its fate is the wallet's to tell, a second pay_invoice could pay twice ...
            LookupResult found = lookup(invoice.paymentHash());
            if (!(found instanceof LookupResult.NotFound)) {
                return resolve(invoice, amount, Doubt.SENT_BEFORE, "this invoice was sent to the wallet before", found);
            }
            // ... unless the wallet has no record of it: the earlier request carried our deadline as its NIP-40
            // expiration and went unheard (a wallet restarting, its relay down), so sending it again cannot pay
            // twice, and no payee settles one payment hash twice either
        }
        if (System.currentTimeMillis() / 1000 >= invoice.expiresAt()) {
            attempted.remove(hash);
            return new PayResult.Failed(BackendFailure.EXPIRED, "invoice expired at " + invoice.expiresAt());
        }
        Long explicit = invoice.amountMsat().isPresent() ? null : amount;
        NwcResult.Paid paid;
        try {
            paid = await(client.payInvoice(bolt11, explicit));
        } catch (NwcException e) {
            NwcErrorCode code = e.walletCode().orElse(null);
            if (code == NwcErrorCode.INSUFFICIENT_BALANCE || code == NwcErrorCode.QUOTA_EXCEEDED) {
                attempted.remove(hash); // definite refusal before any money moved: paying later is safe
                return new PayResult.Failed(BackendFailure.INSUFFICIENT_BALANCE, e.getMessage());
            }
            if (code == NwcErrorCode.PAYMENT_FAILED) {
                // definite failure of this attempt, unless the invoice was paid before (then it is ours to know)
                return resolve(invoice, amount, Doubt.REFUSED, e.getMessage());
            }
            return resolve(invoice, amount, Doubt.NO_ANSWER, e.getMessage());
        }
        byte[] preimage = proofBytes(paid.preimage());
        if (!Arrays.equals(Sha256.hash(preimage), invoice.paymentHash())) {
            return new PayResult.Failed(BackendFailure.BACKEND_ERROR, "the wallet reported a payment whose preimage"
                    + " does not hash to the invoice's payment hash");
        }
        return new PayResult.Paid(invoice.paymentHash(), preimage, amount);
    }

    /** Why a pay_invoice gave no clean answer; it decides what the wallet's record of the hash means. */
    private enum Doubt {
        /** This call never sent: an earlier one did. A payment on record is that earlier one's. */
        SENT_BEFORE,
        /** The wallet said PAYMENT_FAILED: a payment on record was made before this attempt. */
        REFUSED,
        /** Timeout, lost publish, other error: a payment on record is this attempt's. */
        NO_ANSWER
    }

    /** After anything but a clean answer the wallet's own record decides, looked up once and never paid around. */
    private PayResult resolve(Bolt11Invoice invoice, long amount, Doubt doubt, String why) {
        return resolve(invoice, amount, doubt, why, lookup(invoice.paymentHash()));
    }

    private PayResult resolve(Bolt11Invoice invoice, long amount, Doubt doubt, String why, LookupResult found) {
        if (found instanceof LookupResult.Found f) {
            boolean paid = f.state() == InvoiceState.SETTLED && f.preimage().isPresent();
            if (doubt == Doubt.NO_ANSWER && paid) {
                return new PayResult.Paid(invoice.paymentHash(), f.preimage().get(), amount);
            }
            if (doubt == Doubt.NO_ANSWER && f.state() == InvoiceState.HELD) {
                return new PayResult.Pending(invoice.paymentHash(), amount);
            }
            if (paid || f.state() == InvoiceState.HELD || f.state() == InvoiceState.SETTLED) {
                return new PayResult.Failed(BackendFailure.ALREADY_PAID, "paid before (" + f.state()
                        + "): lookup has the preimage; " + why);
            }
            if (f.state() == InvoiceState.EXPIRED || f.state() == InvoiceState.CANCELLED) {
                return new PayResult.Failed(f.state() == InvoiceState.EXPIRED ? BackendFailure.EXPIRED
                        : BackendFailure.CANCELLED, why);
            }
        }
        if (doubt == Doubt.REFUSED) {
            if (found instanceof LookupResult.NotFound) {
                attempted.remove(invoice.paymentHashHex()); // nothing on record: a later attempt cannot pay twice
            }
            return new PayResult.Failed(BackendFailure.PAYMENT_FAILED, why);
        }
        return new PayResult.Failed(BackendFailure.OUTCOME_UNKNOWN, why
                + (found instanceof LookupResult.Failed lf ? "; lookup failed too: " + lf.detail() : ""));
    }

    @Override
    public Subscription subscribeSettlements(Consumer<Settlement> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public Subscription subscribeSent(Consumer<PaymentSent> listener) {
        sentListeners.add(listener);
        return () -> sentListeners.remove(listener);
    }

    @Override
    public Subscription subscribeHeld(Consumer<byte[]> listener) {
        heldListeners.add(listener);
        return () -> heldListeners.remove(listener);
    }

    /**
     * Only a payment received with a preimage that proves it is a settlement; a hold invoice's accepted payment is
     * reported by its hash (the holder still settles only what its wallet shows held); the rest is not ours to report.
     */
    private void onNotification(NwcNotification n) {
        NwcTransaction tx = n.transaction();
        if (n.type() == NwcNotificationType.HOLD_INVOICE_ACCEPTED && tx.paymentHash() != null
                && Hex.isLowerHex(tx.paymentHash(), 32)) {
            byte[] held = Hex.decode(tx.paymentHash());
            heldListeners.forEach(l -> l.accept(held));
            return;
        }
        if (tx.preimage() == null || tx.paymentHash() == null || !Hex.isLowerHex(tx.paymentHash(), 32)) {
            return;
        }
        byte[] hash = Hex.decode(tx.paymentHash());
        byte[] preimage = proofBytes(tx.preimage());
        if (!Arrays.equals(Sha256.hash(preimage), hash)) {
            return;
        }
        if (n.type() == NwcNotificationType.PAYMENT_SENT) {
            PaymentSent sent = new PaymentSent(hash, preimage);
            sentListeners.forEach(l -> l.accept(sent));
            return;
        }
        if (n.type() != NwcNotificationType.PAYMENT_RECEIVED) {
            return;
        }
        Settlement s = new Settlement(hash, tx.amountMsat(), preimage,
                tx.settledAt() == null ? System.currentTimeMillis() / 1000 : tx.settledAt());
        listeners.forEach(l -> l.accept(s));
    }

    /** A wallet's preimage as bytes; empty (never matching a hash) when it is not 32 bytes of hex in either case. */
    private static byte[] proofBytes(String hex) {
        String lower = hex == null ? "" : hex.toLowerCase(Locale.ROOT);
        return Hex.isLowerHex(lower, 32) ? Hex.decode(lower) : new byte[0];
    }

    private static String hexOrNull(byte[] bytes) {
        return bytes == null ? null : Hex.encode(bytes);
    }

    /** The client's futures always end (each call has a deadline), so waiting without one of our own is safe. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof NwcException nwc) {
                throw nwc;
            }
            throw NwcException.local(NwcException.Local.MALFORMED_RESPONSE, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NwcException.local(NwcException.Local.CLOSED, "interrupted");
        }
    }
}
