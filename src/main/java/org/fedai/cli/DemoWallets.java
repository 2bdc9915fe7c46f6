package org.fedai.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip44;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.nwc.DevWalletBackend;
import org.fedai.payment.nwc.DevWalletServer;
import org.fedai.payment.nwc.Nip47;
import org.fedai.payment.nwc.NwcClient;
import org.fedai.payment.nwc.NwcNotification;
import org.fedai.payment.nwc.NwcPaymentBackend;
import org.fedai.payment.nwc.NwcUri;
import org.fedai.payment.nwc.PoolNwcTransport;

/**
 * The demo market's wallets, one account per role: a dev wallet service on the market's relay that each role
 * reaches over its own NWC connection (as operators run it), or in-process wallets of one shared ledger (what the
 * benchmark measures, without wallet round trips on the relay). Everything it opens goes to {@code keep}.
 */
final class DemoWallets {

    /** How the roles reach their wallets. */
    enum Mode {
        /** Each role has its own NWC connection to a dev wallet service on the market's relay. */
        NWC,
        /** Each role holds an in-process wallet of one shared ledger (no wallet traffic on the relay). */
        DIRECT
    }

    /** The roles that get a wallet account, in the order the service's accounts are handed out. */
    private static final List<String> ACCOUNTS = List.of("router", "node-a", "node-b", "node-c", "client", "node-x",
            "node-y", "customer");
    private static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(30);

    private final Mode mode;
    private final DevWalletNetwork ledger;
    private final DevWalletServer service;
    private final Supplier<RelayPool> pools;
    private final MarketDemo.Keeper keep;
    /** The service's keys (null in DIRECT mode): the bench's spy reads the methods of the market's wallet requests. */
    private final KeyPair serviceKeys;

    /** Opens the wallet service (waiting until the relay serves its info event) or the shared ledger. */
    DemoWallets(Mode mode, String relayUrl, Path dir, Supplier<RelayPool> pools, MarketDemo.Keeper keep,
            PrintWriter out) {
        this.mode = mode;
        this.pools = pools;
        this.keep = keep;
        if (mode == Mode.DIRECT) {
            this.ledger = keep.keep(DevWalletNetwork.open(dir.resolve("wallets.db")));
            this.service = null;
            this.serviceKeys = null;
            return;
        }
        this.serviceKeys = KeyPair.generate();
        this.ledger = null;
        this.service = keep.keep(DevWalletServer.start(new DevWalletServer.Config(List.of(relayUrl),
                dir.resolve("wallets.db"), ACCOUNTS.size(), 0, serviceKeys, DevWalletBackend.Faults.NONE)));
        // a get_info sent before the service listens is never answered: wait until the relay serves its info event
        if (!service.awaitAnnounced(ANNOUNCE_TIMEOUT)) {
            throw new IllegalStateException("the wallet service's info event did not come back from " + relayUrl);
        }
        out.println("wallets     NWC connections to the dev wallet service " + serviceKeys.npub() + " on " + relayUrl
                + ", one per role");
    }

    boolean overNwc() {
        return mode == Mode.NWC;
    }

    /** The role's wallet: its own NWC client over its own relay connection, or an in-process wallet. */
    PaymentBackend wallet(String account) {
        if (mode == Mode.DIRECT) {
            return ledger.wallet(account, KeyPair.generate().secretKey());
        }
        NwcClient client = keep.keep(new NwcClient(connection(account), new PoolNwcTransport(pools.get())));
        // get_info tells the Lightning key the wallet signs this account's invoices with: manifests declare it
        return NwcPaymentBackend.connect(client);
    }

    void deposit(String account, long msat) {
        if (mode == Mode.DIRECT) {
            ledger.deposit(account, msat);
        } else {
            service.backend().deposit(connection(account).clientKeys().publicKey(), msat);
        }
    }

    /** What the account holds, by the wallet's own books (for NWC: the service's ledger, not the role's account). */
    long balance(String account) {
        return mode == Mode.DIRECT ? ledger.balance(account) : service.balanceMsat(connection(account));
    }

    /** Forgets finished invoices and payments older than {@code keep}. */
    void pruneOlderThan(Duration keepFor) {
        if (mode == Mode.NWC) {
            service.pruneFinished(keepFor);
        } else {
            ledger.ledger().pruneFinished(java.time.Instant.now().getEpochSecond() - keepFor.toSeconds());
        }
    }

    /** The account whose NWC connection (or the service itself: "wallet") has this key; empty for others. */
    Optional<String> accountOf(String pubkey) {
        if (mode == Mode.DIRECT) {
            return Optional.empty();
        }
        if (pubkey.equals(serviceKeys.publicKey())) {
            return Optional.of("wallet");
        }
        return ACCOUNTS.stream().filter(a -> connection(a).clientKeys().publicKey().equals(pubkey)).findFirst();
    }

    /** A wallet request's method, or a notification's type, read with the service's key; empty for anything else. */
    Optional<String> methodOf(Event event) {
        if (mode == Mode.DIRECT) {
            return Optional.empty();
        }
        try {
            return switch (event.kind()) {
                case Nip47.REQUEST_KIND -> Optional.of(Nip47.openRequest(event, serviceKeys).method().wire());
                case Nip47.NOTIFICATION_KIND -> Optional.of(NwcNotification.parse(Nip44.decrypt(event.content(),
                        Nip44.conversationKey(serviceKeys.secretKey(), event.firstTagValue("p").orElseThrow())))
                        .type().wire());
                default -> Optional.empty();
            };
        } catch (RuntimeException unreadable) {
            return Optional.empty(); // not this market's wallet
        }
    }

    private NwcUri connection(String account) {
        return service.uris().get(ACCOUNTS.indexOf(account));
    }
}
