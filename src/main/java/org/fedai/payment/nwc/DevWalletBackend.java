package org.fedai.payment.nwc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.fedai.nostr.Hex;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Exception;
import org.fedai.payment.Bolt11Invoice;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.HoldResult;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.PayResult;
import org.fedai.store.InvoiceState;
import org.fedai.store.LedgerInvoice;

/**
 * A {@link WalletBackend} over a {@link DevWalletNetwork}: each NWC connection is one ledger account named by
 * its client pubkey, with its own Lightning key derived from the service seed (so a restarted service over the
 * same SQLite file signs with the same node ids). Invoices are real regtest BOLT #11, payments move between
 * accounts once (the ledger refuses a second payment of a hash), and every settlement is notified.
 */
public final class DevWalletBackend implements WalletBackend {

    /**
     * Fault injection for tests and interop runs.
     *
     * @param failRoute   every pay_invoice fails with PAYMENT_FAILED before touching the ledger
     * @param payDelay    pay_invoice answers this long after the payment was made (the answer is late, not the money)
     * @param expireEarly invoices are issued with a 1-second expiry whatever was asked
     */
    public record Faults(boolean failRoute, Duration payDelay, boolean expireEarly) {
        public static final Faults NONE = new Faults(false, Duration.ZERO, false);

        public Faults {
            if (payDelay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative");
            }
        }
    }

    private static final long DEFAULT_EXPIRY_SECONDS = 3600;
    private static final int MAX_LIST = 1000;

    private final DevWalletNetwork network;
    private final byte[] seed;
    private final Faults faults;
    private final Map<String, DevWallet> wallets = new ConcurrentHashMap<>();
    private final List<Consumer<Settlement>> listeners = new CopyOnWriteArrayList<>();

    /** @param seed secret bytes the accounts' Lightning keys derive from (the service's Nostr secret key will do) */
    public DevWalletBackend(DevWalletNetwork network, byte[] seed, Faults faults) {
        this.network = network;
        this.seed = seed.clone();
        this.faults = faults;
    }

    /** The account's wallet, opened (zero balance) on first use; its received payments are notified from then on. */
    public DevWallet wallet(String account) {
        return wallets.computeIfAbsent(account, a -> {
            DevWallet wallet = network.wallet(a, nodeSecret(a));
            // the network reports payments received, whoever paid: an in-process DevWallet as well as an NWC client
            wallet.subscribeSettlements(s -> {
                LedgerInvoice inv = network.ledger().invoice(Hex.encode(s.paymentHash())).orElseThrow();
                emit(a, NwcNotificationType.PAYMENT_RECEIVED, transaction(inv, a), null);
            });
            return wallet;
        });
    }

    /** The dev faucet. */
    public long deposit(String account, long msat) {
        wallet(account);
        return network.deposit(account, msat);
    }

    @Override
    public String nodeId(String account) {
        return wallet(account).nodeId();
    }

    @Override
    public long balanceMsat(String account) {
        return wallet(account).balanceMsat();
    }

    @Override
    public NwcTransaction makeInvoice(String account, NwcRequest.MakeInvoice r) {
        InvoiceResult made = wallet(account).makeInvoice(invoiceRequest(r.amountMsat(), r.description(),
                r.descriptionHash(), r.expirySeconds()));
        return created(account, made);
    }

    @Override
    public NwcTransaction makeHoldInvoice(String account, NwcRequest.MakeHoldInvoice r) {
        InvoiceResult made = wallet(account).makeHoldInvoice(invoiceRequest(r.amountMsat(), r.description(),
                r.descriptionHash(), r.expirySeconds()), Hex.decode(r.paymentHash()));
        return created(account, made);
    }

    @Override
    public NwcResult.Paid payInvoice(String account, NwcRequest.PayInvoice r) {
        if (faults.failRoute()) {
            throw NwcException.wallet(NwcErrorCode.PAYMENT_FAILED, "no route to the payee (fault injection)");
        }
        DevWallet payer = wallet(account);
        PayResult result = payer.pay(r.invoice(), r.amountMsat() == null ? OptionalLong.empty()
                : OptionalLong.of(r.amountMsat()));
        NwcResult.Paid paid = switch (result) {
            case PayResult.Paid p -> {
                LedgerInvoice inv = network.ledger().invoice(Hex.encode(p.paymentHash())).orElseThrow();
                emit(account, NwcNotificationType.PAYMENT_SENT, transaction(inv, account), null);
                yield new NwcResult.Paid(Hex.encode(p.preimage()), 0L);
            }
            case PayResult.Pending p -> {
                // the funds are locked until the payee settles; NIP-47 has no "pending" result, so the payer gets
                // an error that is not PAYMENT_FAILED and finds the held payment (and later the preimage) by lookup
                LedgerInvoice inv = network.ledger().invoice(Hex.encode(p.paymentHash())).orElseThrow();
                emit(inv.account(), NwcNotificationType.HOLD_INVOICE_ACCEPTED, transaction(inv, inv.account()), null);
                throw NwcException.wallet(NwcErrorCode.OTHER, "HELD: funds are locked in a hold invoice until the payee"
                        + " settles or cancels; look the payment up for its preimage");
            }
            case PayResult.Failed f -> throw payFailure(f.reason(), f.detail());
        };
        sleep(faults.payDelay());
        return paid;
    }

    @Override
    public NwcTransaction lookupInvoice(String account, NwcRequest.LookupInvoice r) {
        String hash = r.paymentHash();
        if (hash == null) {
            try {
                hash = Bolt11Codec.decode(r.invoice()).paymentHashHex();
            } catch (Bolt11Exception e) {
                throw NwcException.wallet(NwcErrorCode.OTHER, "INVALID_INVOICE: " + e.getMessage());
            }
        }
        wallet(account);
        network.expire();
        return network.ledger().invoice(hash)
                .filter(inv -> inv.account().equals(account) || account.equals(inv.payer()))
                .map(inv -> transaction(inv, account))
                .orElseThrow(() -> NwcException.wallet(NwcErrorCode.NOT_FOUND, "no invoice or payment of ours has this hash"));
    }

    @Override
    public List<NwcTransaction> listTransactions(String account, NwcRequest.ListTransactions r) {
        wallet(account);
        network.expire();
        return network.ledger().invoicesTouching(account, MAX_LIST).stream()
                .map(inv -> transaction(inv, account))
                .filter(t -> r.type() == null || t.type() == r.type())
                .filter(t -> Boolean.TRUE.equals(r.unpaid()) || t.state() == NwcTransaction.State.SETTLED)
                .filter(t -> r.from() == null || t.createdAt() >= r.from())
                .filter(t -> r.until() == null || t.createdAt() <= r.until())
                .skip(r.offset() == null ? 0 : r.offset())
                .limit(r.limit() == null ? MAX_LIST : r.limit())
                .toList();
    }

    @Override
    public void settleHoldInvoice(String account, String preimage) {
        HoldResult result = wallet(account).settle(Hex.decode(preimage));
        if (result instanceof HoldResult.Failed f) {
            throw holdFailure(f.reason(), f.detail());
        }
        // the payee's PAYMENT_RECEIVED comes from the network; the payer learns the preimage here
        byte[] hash = ((HoldResult.Done) result).paymentHash();
        LedgerInvoice inv = network.ledger().invoice(Hex.encode(hash)).orElseThrow();
        if (inv.payer() != null) {
            emit(inv.payer(), NwcNotificationType.PAYMENT_SENT, transaction(inv, inv.payer()), null);
        }
    }

    @Override
    public void cancelHoldInvoice(String account, String paymentHash) {
        if (wallet(account).cancel(Hex.decode(paymentHash)) instanceof HoldResult.Failed f) {
            throw holdFailure(f.reason(), f.detail());
        }
    }

    @Override
    public String network() {
        return "regtest";
    }

    @Override
    public AutoCloseable onSettlement(Consumer<Settlement> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private InvoiceRequest invoiceRequest(long amountMsat, String description, String descriptionHash, Long expiry) {
        long seconds = faults.expireEarly() ? 1 : expiry == null ? DEFAULT_EXPIRY_SECONDS : expiry;
        try {
            byte[] hash = descriptionHash == null ? null : Hex.decode(descriptionHash);
            // NIP-47 names both optional: an invoice with neither gets an empty description, as BOLT #11 allows
            String text = hash == null && description == null ? "" : hash == null ? description : null;
            return new InvoiceRequest(amountMsat == 0 ? OptionalLong.empty() : OptionalLong.of(amountMsat), text, hash,
                    seconds);
        } catch (IllegalArgumentException e) {
            throw NwcException.wallet(NwcErrorCode.OTHER, "INVALID_REQUEST: " + e.getMessage());
        }
    }

    private NwcTransaction created(String account, InvoiceResult made) {
        return switch (made) {
            case InvoiceResult.Created c -> transaction(network.ledger().invoice(Hex.encode(c.paymentHash()))
                    .orElseThrow(), account);
            case InvoiceResult.Failed f -> throw NwcException.wallet(
                    f.reason() == BackendFailure.BACKEND_ERROR ? NwcErrorCode.INTERNAL : NwcErrorCode.OTHER,
                    f.reason() + ": " + f.detail());
        };
    }

    /** The invoice as {@code account} sees it: incoming for the payee, outgoing for the payer. */
    private static NwcTransaction transaction(LedgerInvoice inv, String account) {
        boolean incoming = inv.account().equals(account);
        Optional<Bolt11Invoice> decoded = decode(inv.bolt11());
        NwcTransaction.State state = switch (inv.state()) {
            case OPEN -> NwcTransaction.State.PENDING;
            case HELD -> incoming ? NwcTransaction.State.ACCEPTED : NwcTransaction.State.PENDING;
            case SETTLED -> NwcTransaction.State.SETTLED;
            case CANCELLED -> NwcTransaction.State.FAILED;
            case EXPIRED -> NwcTransaction.State.EXPIRED;
        };
        long amount = inv.paidMsat() != null ? inv.paidMsat() : inv.amountMsat() == null ? 0 : inv.amountMsat();
        // a hold invoice's preimage is the payee's until it settles; after that both sides may see it
        String preimage = inv.state() == InvoiceState.SETTLED || (incoming && !inv.hold()) ? inv.preimage() : null;
        return new NwcTransaction(incoming ? NwcTransaction.Type.INCOMING : NwcTransaction.Type.OUTGOING, state,
                inv.bolt11(), decoded.flatMap(Bolt11Invoice::description).orElse(null),
                decoded.flatMap(Bolt11Invoice::descriptionHash).map(Hex::encode).orElse(null), preimage,
                inv.paymentHash(), amount, incoming ? null : 0L, inv.createdAt(), inv.expiresAt(), inv.settledAt());
    }

    private static Optional<Bolt11Invoice> decode(String bolt11) {
        try {
            return Optional.of(Bolt11Codec.decode(bolt11));
        } catch (Bolt11Exception e) {
            return Optional.empty();
        }
    }

    private void emit(String account, NwcNotificationType type, NwcTransaction tx, Long deadline) {
        Settlement settlement = new Settlement(account, new NwcNotification(type, tx, deadline));
        listeners.forEach(l -> l.accept(settlement));
    }

    /** NIP-47 has few codes: the fedai reason leads the message so a fedai client can still tell them apart. */
    private static NwcException payFailure(BackendFailure reason, String detail) {
        NwcErrorCode code = switch (reason) {
            case INSUFFICIENT_BALANCE -> NwcErrorCode.INSUFFICIENT_BALANCE;
            case INVALID_INVOICE, WRONG_NETWORK, BAD_AMOUNT, INVALID_REQUEST -> NwcErrorCode.OTHER;
            case BACKEND_ERROR -> NwcErrorCode.INTERNAL;
            default -> NwcErrorCode.PAYMENT_FAILED;
        };
        return NwcException.wallet(code, reason + ": " + detail);
    }

    private static NwcException holdFailure(BackendFailure reason, String detail) {
        NwcErrorCode code = switch (reason) {
            case UNKNOWN_INVOICE, PREIMAGE_MISMATCH -> NwcErrorCode.NOT_FOUND;
            case BACKEND_ERROR -> NwcErrorCode.INTERNAL;
            default -> NwcErrorCode.OTHER;
        };
        return NwcException.wallet(code, reason + ": " + detail);
    }

    private byte[] nodeSecret(String account) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            return mac.doFinal(("fedai dev wallet node key:" + account).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK ships HmacSHA256", e);
        }
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay); // fault injection: the wallet is slow to answer, on the service's virtual thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
