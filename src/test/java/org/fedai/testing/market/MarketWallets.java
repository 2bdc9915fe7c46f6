package org.fedai.testing.market;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.nwc.DevWalletBackend;
import org.fedai.payment.nwc.DevWalletServer;
import org.fedai.payment.nwc.NwcClient;
import org.fedai.payment.nwc.NwcPaymentBackend;
import org.fedai.payment.nwc.NwcUri;
import org.fedai.payment.nwc.PoolNwcTransport;

/**
 * The market's wallets by account ("router", "node", "client", a scripted peer's name): in-process dev wallets on
 * one SQLite ledger file, or the same served over NWC. Every account keeps one Lightning key for the market's life.
 */
public interface MarketWallets extends AutoCloseable {

    PaymentBackend wallet(String account);

    void deposit(String account, long msat);

    long balance(String account);

    /** The dev wallet network behind direct wallets, for what only it does (another key, its ledger). */
    default DevWalletNetwork network() {
        throw new IllegalStateException("wallets over NWC have no dev wallet network in this JVM");
    }

    /** The account's wallet as a dev wallet, for what only it does ({@link DevWallet#balanceMsat}). */
    default DevWallet devWallet(String account) {
        if (wallet(account) instanceof DevWallet dev) {
            return dev;
        }
        throw new IllegalStateException(account + " pays over NWC, not through a dev wallet");
    }

    @Override
    void close();

    /** One DevWalletNetwork on a SQLite file, each account a DevWallet with its own Lightning key. */
    static MarketWallets direct(Path db) {
        DevWalletNetwork network = DevWalletNetwork.open(db);
        Map<String, PaymentBackend> wallets = new ConcurrentHashMap<>();
        return new MarketWallets() {
            @Override
            public PaymentBackend wallet(String account) {
                return wallets.computeIfAbsent(account, a -> network.wallet(a, KeyPair.generate().secretKey()));
            }

            @Override
            public void deposit(String account, long msat) {
                wallet(account);
                network.deposit(account, msat);
            }

            @Override
            public long balance(String account) {
                return network.balance(account);
            }

            @Override
            public DevWalletNetwork network() {
                return network;
            }

            @Override
            public void close() {
                network.close();
            }
        };
    }

    /**
     * {@code fedai wallet serve}'s service on the market's relay, each of {@code accounts} a NIP-47 client of its
     * own: the path the demo takes, where a hold payment comes back as an error the backend resolves by lookup.
     */
    static MarketWallets nwc(String relayUrl, Path db, List<String> accounts) {
        DevWalletServer server = DevWalletServer.start(new DevWalletServer.Config(List.of(relayUrl), db,
                accounts.size(), 0, KeyPair.generate(), DevWalletBackend.Faults.NONE));
        if (!server.awaitAnnounced(Duration.ofSeconds(20))) {
            throw new IllegalStateException("the wallet service did not announce itself");
        }
        Map<String, PaymentBackend> wallets = new ConcurrentHashMap<>();
        List<RelayPool> pools = new CopyOnWriteArrayList<>();
        return new MarketWallets() {
            private NwcUri uri(String account) {
                int index = accounts.indexOf(account);
                if (index < 0) {
                    throw new IllegalArgumentException("the wallet service serves " + accounts + ", not " + account);
                }
                return server.uris().get(index);
            }

            @Override
            public PaymentBackend wallet(String account) {
                return wallets.computeIfAbsent(account, a -> {
                    RelayPool pool = PoolNwcTransport.connect(List.of(relayUrl));
                    pools.add(pool);
                    return NwcPaymentBackend.connect(new NwcClient(uri(a), new PoolNwcTransport(pool)));
                });
            }

            @Override
            public void deposit(String account, long msat) {
                server.backend().deposit(uri(account).clientKeys().publicKey(), msat);
            }

            @Override
            public long balance(String account) {
                return server.balanceMsat(uri(account));
            }

            @Override
            public void close() {
                pools.forEach(RelayPool::close);
                server.close();
            }
        };
    }
}
