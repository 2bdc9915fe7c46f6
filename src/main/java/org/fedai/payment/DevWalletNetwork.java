package org.fedai.payment;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.fedai.nostr.Hex;
import org.fedai.store.WalletLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Lightning "network" for the embedded default and the tests: one SQLite
 * {@link WalletLedger} whose accounts are nodes, each with its own Lightning key. Invoices are
 * real signed BOLT #11 (regtest), payments move millisatoshis between accounts. No channels, no
 * routing, no fees: what fedai needs from Lightning is the invoice, the preimage and "paid once".
 */
public final class DevWalletNetwork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevWalletNetwork.class);

    /**
     * How long a payment stays held before the network gives it back to its payer, as a Lightning HTLC's timeout does
     * when the payee neither settles nor cancels (its final CLTV delta, hours on mainnet; shorter here).
     */
    public static final Duration DEFAULT_HOLD_TIMEOUT = Duration.ofMinutes(30);

    private final WalletLedger ledger;
    private final Clock clock;
    private final Duration holdTimeout;
    private final Map<String, List<Consumer<Settlement>>> listeners = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<byte[]>>> heldListeners = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<PaymentSent>>> sentListeners = new ConcurrentHashMap<>();

    public DevWalletNetwork(WalletLedger ledger, Clock clock) {
        this(ledger, clock, DEFAULT_HOLD_TIMEOUT);
    }

    public DevWalletNetwork(WalletLedger ledger, Clock clock, Duration holdTimeout) {
        this.ledger = ledger;
        this.clock = clock;
        this.holdTimeout = holdTimeout;
    }

    public static DevWalletNetwork open(Path file) {
        return new DevWalletNetwork(WalletLedger.open(file), Clock.systemUTC());
    }

    /** The wallet of an account, created with a zero balance on first use; the key must stay the same. */
    public DevWallet wallet(String account, byte[] nodeSecret) {
        String nodeId = Hex.encode(Bolt11Codec.nodeId(nodeSecret));
        ledger.openAccount(account, nodeId);
        return new DevWallet(this, account, nodeSecret, nodeId);
    }

    /** The dev faucet: money from nowhere. Returns the new balance. */
    public long deposit(String account, long msat) {
        return ledger.deposit(account, msat);
    }

    public long balance(String account) {
        return ledger.account(account).orElseThrow(() -> new IllegalArgumentException("no account " + account))
                .balanceMsat();
    }

    /** The shared ledger, for wallet services that report history (NWC lookup and list_transactions). */
    public WalletLedger ledger() {
        return ledger;
    }

    /**
     * Brings the ledger up to the network's clock before it is read: open invoices past their expiry expire, and
     * payments held longer than the hold timeout go back to their payers.
     */
    public void expire() {
        long now = now();
        ledger.expireOpen(now);
        int refunded = ledger.refundHeldSince(now - holdTimeout.toSeconds(), now);
        if (refunded > 0) {
            LOG.info("{} payments held past {} went back to their payers", refunded, holdTimeout);
        }
    }

    /** Unix seconds by the network's clock. */
    public long now() {
        return clock.instant().getEpochSecond();
    }

    PaymentBackend.Subscription subscribeHeld(String account, Consumer<byte[]> listener) {
        List<Consumer<byte[]>> list = heldListeners.computeIfAbsent(account, a -> new CopyOnWriteArrayList<>());
        list.add(listener);
        return () -> list.remove(listener);
    }

    PaymentBackend.Subscription subscribeSent(String account, Consumer<PaymentSent> listener) {
        List<Consumer<PaymentSent>> list = sentListeners.computeIfAbsent(account, a -> new CopyOnWriteArrayList<>());
        list.add(listener);
        return () -> list.remove(listener);
    }

    /** A payment {@code payer} left pending (a hold invoice) was settled by its payee; called after that committed. */
    void publishSent(String payer, PaymentSent sent) {
        for (Consumer<PaymentSent> listener : sentListeners.getOrDefault(payer, List.of())) {
            try {
                listener.accept(sent);
            } catch (RuntimeException e) {
                LOG.warn("payment listener of {} failed", payer, e);
            }
        }
    }

    /** A payer locked funds to {@code account}'s hold invoice; called after that committed. */
    void publishHeld(String account, byte[] paymentHash) {
        for (Consumer<byte[]> listener : heldListeners.getOrDefault(account, List.of())) {
            try {
                listener.accept(paymentHash.clone());
            } catch (RuntimeException e) {
                LOG.warn("hold listener of {} failed", account, e);
            }
        }
    }

    PaymentBackend.Subscription subscribe(String account, Consumer<Settlement> listener) {
        List<Consumer<Settlement>> list = listeners.computeIfAbsent(account, a -> new CopyOnWriteArrayList<>());
        list.add(listener);
        return () -> list.remove(listener);
    }

    /** Called after the settling transaction committed; a failing listener never undoes or blocks a payment. */
    void publish(String account, Settlement settlement) {
        for (Consumer<Settlement> listener : listeners.getOrDefault(account, List.of())) {
            try {
                listener.accept(settlement);
            } catch (RuntimeException e) {
                LOG.warn("settlement listener of {} failed", account, e);
            }
        }
    }

    @Override
    public void close() {
        ledger.close();
    }
}
