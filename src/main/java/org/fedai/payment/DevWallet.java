package org.fedai.payment;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.store.InvoiceState;
import org.fedai.store.LedgerInvoice;
import org.fedai.store.LedgerPayment;
import org.fedai.store.PaymentStoreException;
import org.fedai.store.WalletLedger;

/**
 * One account of a {@link DevWalletNetwork} as a {@link PaymentBackend}: real regtest BOLT #11
 * invoices signed by the account's own Lightning key, real random preimages, balances in the
 * shared SQLite ledger. Every refusal comes back as a result with a {@link BackendFailure}.
 */
public final class DevWallet implements PaymentBackend {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** var_onion_optin and payment_secret, compulsory, as current nodes issue them. */
    private static final TaggedField.Features FEATURES = TaggedField.Features.of(8, 14);

    private final DevWalletNetwork network;
    private final String account;
    private final byte[] nodeSecret;
    private final String nodeId;

    DevWallet(DevWalletNetwork network, String account, byte[] nodeSecret, String nodeId) {
        this.network = network;
        this.account = account;
        this.nodeSecret = nodeSecret.clone();
        this.nodeId = nodeId;
    }

    public String account() {
        return account;
    }

    public long balanceMsat() {
        network.expire(); // a payment held past the timeout is back in the payer's balance
        return network.balance(account);
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Bolt11Network network() {
        return Bolt11Network.REGTEST;
    }

    @Override
    public InvoiceResult makeInvoice(InvoiceRequest request) {
        byte[] preimage = random32();
        return issue(request, Sha256.hash(preimage), preimage);
    }

    @Override
    public InvoiceResult makeHoldInvoice(InvoiceRequest request, byte[] paymentHash) {
        if (paymentHash == null || paymentHash.length != 32) {
            return new InvoiceResult.Failed(BackendFailure.INVALID_REQUEST, "payment hash must be 32 bytes");
        }
        return issue(request, paymentHash, null);
    }

    private InvoiceResult issue(InvoiceRequest request, byte[] paymentHash, byte[] preimage) {
        return guarded(() -> {
            String hashHex = Hex.encode(paymentHash);
            if (network.ledger().invoice(hashHex).isPresent()) {
                return new InvoiceResult.Failed(BackendFailure.DUPLICATE_PAYMENT_HASH, hashHex + " is already invoiced");
            }
            long now = network.now();
            List<TaggedField> fields = new ArrayList<>();
            fields.add(new TaggedField.PaymentHash(paymentHash));
            fields.add(new TaggedField.PaymentSecret(random32()));
            fields.add(request.description() != null ? new TaggedField.Description(request.description())
                    : new TaggedField.DescriptionHash(request.descriptionHash()));
            fields.add(new TaggedField.Expiry(request.expirySeconds()));
            fields.add(FEATURES);
            String bolt11;
            try {
                bolt11 = Bolt11Codec.sign(Bolt11Network.REGTEST, request.amountMsat(), now, fields, nodeSecret).encode();
            } catch (IllegalArgumentException tooLong) {
                return new InvoiceResult.Failed(BackendFailure.INVALID_REQUEST, tooLong.getMessage());
            }
            long expiresAt = now + request.expirySeconds();
            network.ledger().addInvoice(LedgerInvoice.open(hashHex, account, bolt11,
                    request.amountMsat().isPresent() ? request.amountMsat().getAsLong() : null,
                    preimage == null ? null : Hex.encode(preimage), preimage == null, now, expiresAt));
            return new InvoiceResult.Created(bolt11, paymentHash, expiresAt);
        }, InvoiceResult.Failed::new);
    }

    @Override
    public HoldResult settle(byte[] preimage) {
        if (preimage == null || preimage.length != 32) {
            return new HoldResult.Failed(BackendFailure.PREIMAGE_MISMATCH, "preimage must be 32 bytes");
        }
        String hashHex = Hex.encode(Sha256.hash(preimage));
        return guarded(() -> {
            Optional<LedgerInvoice> mine = network.ledger().invoice(hashHex).filter(i -> i.account().equals(account));
            if (mine.isEmpty()) {
                return new HoldResult.Failed(BackendFailure.PREIMAGE_MISMATCH, "no invoice of ours has hash " + hashHex);
            }
            long now = network.now();
            WalletLedger.HoldOutcome outcome = network.ledger().settleHeld(hashHex, Hex.encode(preimage), now);
            return switch (outcome.status()) {
                case SETTLED -> {
                    network.publish(account, new Settlement(Hex.decode(hashHex), outcome.invoice().paidMsat(), preimage, now));
                    network.ledger().payment(hashHex).ifPresent(p -> network.publishSent(p.payer(),
                            new PaymentSent(Hex.decode(hashHex), preimage)));
                    yield new HoldResult.Done(Hex.decode(hashHex), InvoiceState.SETTLED);
                }
                case NOT_HELD -> new HoldResult.Failed(BackendFailure.NOT_HELD, "hold invoice " + hashHex + " is not paid yet");
                case NOT_HOLD_INVOICE -> new HoldResult.Failed(BackendFailure.NOT_HELD, hashHex + " is a plain invoice");
                case ALREADY_FINAL -> new HoldResult.Failed(BackendFailure.ALREADY_FINAL,
                        hashHex + " is already " + outcome.invoice().state());
                default -> new HoldResult.Failed(BackendFailure.PREIMAGE_MISMATCH, outcome.status().toString());
            };
        }, HoldResult.Failed::new);
    }

    @Override
    public HoldResult cancel(byte[] paymentHash) {
        String hashHex = Hex.encode(paymentHash);
        return guarded(() -> {
            if (network.ledger().invoice(hashHex).filter(i -> i.account().equals(account)).isEmpty()) {
                return new HoldResult.Failed(BackendFailure.UNKNOWN_INVOICE, "no invoice of ours has hash " + hashHex);
            }
            WalletLedger.HoldOutcome outcome = network.ledger().cancel(hashHex, network.now());
            return outcome.status() == WalletLedger.HoldStatus.CANCELLED
                    ? new HoldResult.Done(paymentHash, InvoiceState.CANCELLED)
                    : new HoldResult.Failed(BackendFailure.ALREADY_FINAL, hashHex + " is already " + outcome.invoice().state());
        }, HoldResult.Failed::new);
    }

    /** Our invoice as the payee sees it, or our payment as the payer sees it (preimage once settled). */
    @Override
    public LookupResult lookup(byte[] paymentHash) {
        String hashHex = Hex.encode(paymentHash);
        return guarded(() -> {
            network.expire();
            Optional<LedgerInvoice> found = network.ledger().invoice(hashHex);
            if (found.isEmpty()) {
                return new LookupResult.NotFound(paymentHash);
            }
            LedgerInvoice inv = found.get();
            boolean payee = inv.account().equals(account);
            Optional<LedgerPayment> payment = network.ledger().payment(hashHex).filter(p -> p.payer().equals(account));
            if (!payee && payment.isEmpty()) {
                return new LookupResult.NotFound(paymentHash);
            }
            String preimage = payee ? inv.preimage() : payment.get().preimage();
            return new LookupResult.Found(paymentHash, inv.bolt11(), inv.state(),
                    inv.amountMsat() == null ? OptionalLong.empty() : OptionalLong.of(inv.amountMsat()),
                    inv.paidMsat() == null ? OptionalLong.empty() : OptionalLong.of(inv.paidMsat()),
                    Optional.ofNullable(preimage).map(Hex::decode), inv.expiresAt());
        }, LookupResult.Failed::new);
    }

    @Override
    public PayResult pay(String bolt11, OptionalLong amountMsat) {
        Bolt11Invoice invoice;
        long amount;
        switch (PayableInvoice.check(bolt11, amountMsat, Bolt11Network.REGTEST, "dev wallets pay")) {
            case PayableInvoice.Refused r -> {
                return r.failure();
            }
            case PayableInvoice.Payable p -> {
                invoice = p.payable().invoice();
                amount = p.payable().amountMsat();
            }
        }
        long now = network.now();
        if (now >= invoice.expiresAt()) {
            return new PayResult.Failed(BackendFailure.EXPIRED, "invoice expired at " + invoice.expiresAt());
        }
        String hashHex = invoice.paymentHashHex();
        return guarded(() -> {
            Optional<LedgerInvoice> known = network.ledger().invoice(hashHex);
            if (known.isEmpty()) {
                return new PayResult.Failed(BackendFailure.UNKNOWN_INVOICE, "no route: the payee is not on this dev network");
            }
            String issuer = network.ledger().account(known.get().account()).orElseThrow().nodeId();
            if (!issuer.equals(invoice.payeeHex())) {
                return new PayResult.Failed(BackendFailure.INVALID_INVOICE, "invoice is signed by " + invoice.payeeHex()
                        + ", but its payment hash belongs to node " + issuer);
            }
            WalletLedger.PayOutcome outcome = network.ledger().pay(account, hashHex, amount, now);
            return switch (outcome.status()) {
                case SETTLED -> {
                    byte[] preimage = Hex.decode(outcome.invoice().preimage());
                    network.publish(outcome.invoice().account(), new Settlement(invoice.paymentHash(), amount, preimage, now));
                    yield new PayResult.Paid(invoice.paymentHash(), preimage, amount);
                }
                case HELD -> {
                    network.publishHeld(outcome.invoice().account(), invoice.paymentHash());
                    yield new PayResult.Pending(invoice.paymentHash(), amount);
                }
                case ALREADY_PAID -> new PayResult.Failed(BackendFailure.ALREADY_PAID, hashHex + " was already paid");
                case CANCELLED -> new PayResult.Failed(BackendFailure.CANCELLED, hashHex + " was cancelled by the payee");
                case EXPIRED -> new PayResult.Failed(BackendFailure.EXPIRED, hashHex + " has expired");
                case SELF_PAYMENT -> new PayResult.Failed(BackendFailure.SELF_PAYMENT, "cannot pay our own invoice");
                case AMOUNT_MISMATCH -> new PayResult.Failed(BackendFailure.BAD_AMOUNT, "amount " + amount + " refused");
                case INSUFFICIENT_BALANCE -> new PayResult.Failed(BackendFailure.INSUFFICIENT_BALANCE,
                        "balance " + balanceMsat() + " msat does not cover " + amount + " msat");
                case UNKNOWN_INVOICE, UNKNOWN_PAYER -> new PayResult.Failed(BackendFailure.UNKNOWN_INVOICE,
                        outcome.status().toString());
            };
        }, PayResult.Failed::new);
    }

    @Override
    public Subscription subscribeSettlements(Consumer<Settlement> listener) {
        return network.subscribe(account, listener);
    }

    @Override
    public Subscription subscribeSent(Consumer<PaymentSent> listener) {
        return network.subscribeSent(account, listener);
    }

    @Override
    public Subscription subscribeHeld(Consumer<byte[]> listener) {
        return network.subscribeHeld(account, listener);
    }

    private interface FailureFactory<R> {
        R failed(BackendFailure reason, String detail);
    }

    /** Storage failures become BACKEND_ERROR results: the caller's state machine decides what to do. */
    private static <R> R guarded(Supplier<R> work, FailureFactory<R> failed) {
        try {
            return work.get();
        } catch (PaymentStoreException e) {
            return failed.failed(BackendFailure.BACKEND_ERROR, String.valueOf(e.getMessage()));
        }
    }

    private static byte[] random32() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
