package org.fedai.payment.nwc;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;

/**
 * Test double for the wallet behind the service: per-account balances in msat, invoices paid between
 * accounts, hold invoices accepted by an outside payer ({@link #acceptHold}). Invoice strings are
 * stand-ins ("lnbcrt&lt;msat&gt;m1&lt;hash&gt;"): BOLT11 is another component's business.
 */
class InMemoryWalletBackend implements WalletBackend {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final long SETTLE_DEADLINE = 800_144;

    private record Invoice(String account, boolean hold, String preimage, NwcTransaction tx) {
    }

    private final Map<String, Long> balances = new HashMap<>();
    private final Map<String, Invoice> byHash = new HashMap<>();
    private final Map<String, List<NwcTransaction>> history = new HashMap<>();
    private final List<Consumer<Settlement>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger payments = new AtomicInteger();

    synchronized void fund(String account, long msat) {
        balances.merge(account, msat, Long::sum);
    }

    int payments() {
        return payments.get();
    }

    @Override
    public synchronized long balanceMsat(String account) {
        return balances.getOrDefault(account, 0L);
    }

    @Override
    public synchronized NwcTransaction makeInvoice(String account, NwcRequest.MakeInvoice r) {
        byte[] preimage = new byte[32];
        RANDOM.nextBytes(preimage);
        String hash = Hex.encode(Sha256.hash(preimage));
        NwcTransaction tx = incoming(hash, r.amountMsat(), r.description(), r.expirySeconds());
        byHash.put(hash, new Invoice(account, false, Hex.encode(preimage), tx));
        return tx;
    }

    @Override
    public synchronized NwcTransaction makeHoldInvoice(String account, NwcRequest.MakeHoldInvoice r) {
        NwcTransaction tx = incoming(r.paymentHash(), r.amountMsat(), r.description(), r.expirySeconds());
        byHash.put(r.paymentHash(), new Invoice(account, true, null, tx));
        return tx;
    }

    @Override
    public NwcResult.Paid payInvoice(String account, NwcRequest.PayInvoice r) {
        List<Settlement> events = new ArrayList<>();
        NwcResult.Paid paid;
        synchronized (this) {
            Invoice inv = byHash.values().stream().filter(i -> r.invoice().equals(i.tx().invoice())).findFirst()
                    .orElseThrow(() -> NwcException.wallet(NwcErrorCode.PAYMENT_FAILED, "no route to this invoice"));
            if (inv.hold()) {
                throw NwcException.wallet(NwcErrorCode.PAYMENT_FAILED, "this double pays hold invoices via acceptHold");
            }
            if (inv.tx().state() != NwcTransaction.State.PENDING) {
                throw NwcException.wallet(NwcErrorCode.PAYMENT_FAILED, "invoice already paid");
            }
            long amount = inv.tx().amountMsat();
            if (balanceMsat(account) < amount) {
                throw NwcException.wallet(NwcErrorCode.INSUFFICIENT_BALANCE,
                        "balance " + balanceMsat(account) + " msat < " + amount + " msat");
            }
            long now = Instant.now().getEpochSecond();
            balances.merge(account, -amount, Long::sum);
            balances.merge(inv.account(), amount, Long::sum);
            NwcTransaction received = inv.tx().withState(NwcTransaction.State.SETTLED, inv.preimage(), now);
            byHash.put(received.paymentHash(), new Invoice(inv.account(), false, inv.preimage(), received));
            NwcTransaction sent = new NwcTransaction(NwcTransaction.Type.OUTGOING, NwcTransaction.State.SETTLED,
                    received.invoice(), received.description(), null, inv.preimage(), received.paymentHash(), amount, 0L,
                    now, null, now);
            history.computeIfAbsent(account, a -> new ArrayList<>()).add(sent);
            payments.incrementAndGet();
            events.add(new Settlement(account, new NwcNotification(NwcNotificationType.PAYMENT_SENT, sent, null)));
            events.add(new Settlement(inv.account(),
                    new NwcNotification(NwcNotificationType.PAYMENT_RECEIVED, received, null)));
            paid = new NwcResult.Paid(inv.preimage(), 0L);
        }
        events.forEach(this::emit);
        return paid;
    }

    /** An outside payer locks funds to a hold invoice. */
    void acceptHold(String paymentHash) {
        Settlement event;
        synchronized (this) {
            Invoice inv = byHash.get(paymentHash);
            NwcTransaction accepted = inv.tx().withState(NwcTransaction.State.ACCEPTED, null, null);
            byHash.put(paymentHash, new Invoice(inv.account(), true, null, accepted));
            event = new Settlement(inv.account(),
                    new NwcNotification(NwcNotificationType.HOLD_INVOICE_ACCEPTED, accepted, SETTLE_DEADLINE));
        }
        emit(event);
    }

    @Override
    public void settleHoldInvoice(String account, String preimage) {
        Settlement event;
        synchronized (this) {
            String hash = Hex.encode(Sha256.hash(Hex.decode(preimage)));
            Invoice inv = ownHold(account, hash);
            if (inv.tx().state() != NwcTransaction.State.ACCEPTED) {
                throw NwcException.wallet(NwcErrorCode.OTHER, "hold invoice is " + inv.tx().state() + ", not accepted");
            }
            NwcTransaction settled = inv.tx().withState(NwcTransaction.State.SETTLED, preimage,
                    Instant.now().getEpochSecond());
            byHash.put(hash, new Invoice(account, true, preimage, settled));
            balances.merge(account, settled.amountMsat(), Long::sum);
            event = new Settlement(account, new NwcNotification(NwcNotificationType.PAYMENT_RECEIVED, settled, null));
        }
        emit(event);
    }

    @Override
    public synchronized void cancelHoldInvoice(String account, String paymentHash) {
        Invoice inv = ownHold(account, paymentHash);
        if (inv.tx().state() == NwcTransaction.State.SETTLED) {
            throw NwcException.wallet(NwcErrorCode.OTHER, "hold invoice already settled");
        }
        byHash.put(paymentHash, new Invoice(account, true, null, inv.tx().withState(NwcTransaction.State.FAILED, null, null)));
    }

    @Override
    public synchronized NwcTransaction lookupInvoice(String account, NwcRequest.LookupInvoice r) {
        return byHash.values().stream()
                .filter(i -> i.account().equals(account))
                .filter(i -> i.tx().paymentHash().equals(r.paymentHash())
                        || (r.invoice() != null && r.invoice().equals(i.tx().invoice())))
                .map(Invoice::tx).findFirst()
                .orElseThrow(() -> NwcException.wallet(NwcErrorCode.NOT_FOUND, "no such invoice"));
    }

    @Override
    public synchronized List<NwcTransaction> listTransactions(String account, NwcRequest.ListTransactions r) {
        List<NwcTransaction> all = new ArrayList<>(history.getOrDefault(account, List.of()));
        byHash.values().stream().filter(i -> i.account().equals(account)).map(Invoice::tx)
                .filter(t -> Boolean.TRUE.equals(r.unpaid()) || t.state() == NwcTransaction.State.SETTLED)
                .forEach(all::add);
        return all.stream().filter(t -> r.type() == null || t.type() == r.type())
                .sorted(Comparator.comparingLong(NwcTransaction::createdAt).reversed())
                .skip(r.offset() == null ? 0 : r.offset()).limit(r.limit() == null ? Long.MAX_VALUE : r.limit()).toList();
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

    private Invoice ownHold(String account, String hash) {
        Invoice inv = byHash.get(hash);
        if (inv == null || !inv.hold() || !inv.account().equals(account)) {
            throw NwcException.wallet(NwcErrorCode.NOT_FOUND, "no such hold invoice");
        }
        return inv;
    }

    private void emit(Settlement settlement) {
        listeners.forEach(l -> l.accept(settlement));
    }

    private static NwcTransaction incoming(String hash, long amount, String description, Long expiry) {
        long now = Instant.now().getEpochSecond();
        return new NwcTransaction(NwcTransaction.Type.INCOMING, NwcTransaction.State.PENDING,
                "lnbcrt" + amount + "m1" + hash, description, null, null, hash, amount, null, now,
                now + (expiry == null ? 3600 : expiry), null);
    }
}
