package org.fedai.testing.market;

import java.util.function.UnaryOperator;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.PaymentBackend;
import org.fedai.roles.client.ClientConfig;
import org.fedai.roles.client.ClientRole;
import org.fedai.store.ClientJournal;

/**
 * One client of the market, named by its wallet account (its journal is {@code <account>.db}), sending its jobs
 * to the market's router. Its keys and journal outlive the role, as the node's do.
 */
public final class MarketClient {

    public final String account;
    public final KeyPair keys = KeyPair.generate();
    private final TestMarket market;
    private UnaryOperator<ClientConfig> configure = UnaryOperator.identity();
    private ClientJournal journal;
    private final RunningRole<ClientRole> running;

    MarketClient(TestMarket market, String account) {
        this.market = market;
        this.account = account;
        this.running = new RunningRole<>(account);
    }

    public PublicKey publicKey() {
        return PublicKey.of(keys.publicKey());
    }

    public MarketClient configure(UnaryOperator<ClientConfig> change) {
        UnaryOperator<ClientConfig> before = configure;
        this.configure = c -> change.apply(before.apply(c));
        return this;
    }

    public ClientConfig config() {
        return configure.apply(ClientConfig.of(keys, market.router().publicKey()));
    }

    public ClientRole start() throws InterruptedException {
        running.requireStopped();
        if (journal == null) {
            journal = ClientJournal.open(market.dir().resolve(account + ".db"));
        }
        RelayPool pool = market.newPool();
        return running.started(pool, new ClientRole(config(), pool, wallet(), journal).start());
    }

    public void stop() {
        running.stop();
    }

    public ClientRole role() {
        return running.get();
    }

    public PaymentBackend wallet() {
        return market.wallets().wallet(account);
    }

    void closeJournal() {
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }
}
