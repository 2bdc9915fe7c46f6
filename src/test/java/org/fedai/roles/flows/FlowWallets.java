package org.fedai.roles.flows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.nwc.DevWalletBackend;
import org.fedai.payment.nwc.DevWalletServer;
import org.fedai.payment.nwc.NwcClient;
import org.fedai.payment.nwc.NwcPaymentBackend;
import org.fedai.payment.nwc.NwcUri;
import org.fedai.payment.nwc.PoolNwcTransport;

/** The market's wallets by role ("router", "node", "client"): in-process dev wallets, or the same over NWC. */
interface FlowWallets extends AutoCloseable {

    PaymentBackend wallet(String account);

    void deposit(String account, long msat);

    long balance(String account);

    @Override
    void close();

    /** One DevWalletNetwork on a SQLite file, each role a DevWallet with its own Lightning key. */
    static FlowWallets direct(Path db) {
        DevWalletNetwork network = DevWalletNetwork.open(db);
        Map<String, PaymentBackend> wallets = new ConcurrentHashMap<>();
        return new FlowWallets() {
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
            public void close() {
                network.close();
            }
        };
    }

    /**
     * {@code fedai wallet serve}'s service on the market's relay, each role a NIP-47 client of its own account:
     * the path the demo takes, where a hold payment comes back as an error the backend resolves by lookup.
     */
    static FlowWallets nwc(String relayUrl, Path db) {
        List<String> accounts = List.of("router", "node", "client");
        DevWalletServer server = DevWalletServer.start(new DevWalletServer.Config(List.of(relayUrl), db,
                accounts.size(), 0, KeyPair.generate(), DevWalletBackend.Faults.NONE));
        if (!server.awaitAnnounced(Duration.ofSeconds(20))) {
            throw new IllegalStateException("the wallet service did not announce itself");
        }
        Map<String, PaymentBackend> wallets = new ConcurrentHashMap<>();
        List<RelayPool> pools = new ArrayList<>();
        return new FlowWallets() {
            private NwcUri uri(String account) {
                return server.uris().get(accounts.indexOf(account));
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
