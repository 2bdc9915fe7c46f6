package org.fedai.payment.nwc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Secp256k1Keys;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.store.WalletLedger;

/**
 * What {@code fedai wallet serve} runs: a dev wallet (SQLite ledger, regtest BOLT #11) served over NIP-47 on
 * a set of relays, with a number of funded accounts, each reachable through its own connection URI.
 *
 * <p>Everything derives from the service key: the accounts' client secrets and Lightning keys. A restart with
 * the same key and ledger file serves the same URIs over the same balances (and funds only new accounts).
 */
public final class DevWalletServer implements AutoCloseable {

    /**
     * @param db          the ledger file, or null for an in-memory ledger
     * @param accounts    how many connections (accounts) to serve
     * @param balanceMsat what each new account is funded with
     */
    public record Config(List<String> relays, Path db, int accounts, long balanceMsat, KeyPair serviceKeys,
            DevWalletBackend.Faults faults) {
        public Config {
            relays = List.copyOf(relays);
            if (relays.isEmpty()) {
                throw new IllegalArgumentException("at least one relay is needed");
            }
            if (accounts < 1 || balanceMsat < 0) {
                throw new IllegalArgumentException("need at least one account and a non-negative balance");
            }
        }
    }

    private final DevWalletNetwork network;
    private final RelayPool pool;
    private final NwcWalletService service;
    private final DevWalletBackend backend;
    private final List<NwcUri> uris;

    private DevWalletServer(DevWalletNetwork network, RelayPool pool, NwcWalletService service,
            DevWalletBackend backend, List<NwcUri> uris) {
        this.network = network;
        this.pool = pool;
        this.service = service;
        this.backend = backend;
        this.uris = uris;
    }

    public static DevWalletServer start(Config config) {
        DevWalletNetwork network = new DevWalletNetwork(
                config.db() == null ? WalletLedger.inMemory() : WalletLedger.open(config.db()), Clock.systemUTC());
        byte[] seed = Hex.decode(config.serviceKeys().secretKeyHex());
        DevWalletBackend backend = new DevWalletBackend(network, seed, config.faults());
        List<NwcUri> uris = new ArrayList<>();
        for (int i = 0; i < config.accounts(); i++) {
            NwcUri uri = new NwcUri(config.serviceKeys().publicKey(), config.relays(), clientSecret(seed, i), null);
            String account = uri.clientKeys().publicKey();
            boolean fresh = network.ledger().account(account).isEmpty();
            backend.wallet(account);
            if (fresh && config.balanceMsat() > 0) {
                backend.deposit(account, config.balanceMsat());
            }
            uris.add(uri);
        }
        RelayPool pool = PoolNwcTransport.connect(config.relays());
        NwcWalletService service = new NwcWalletService(new PoolNwcTransport(pool), config.serviceKeys(),
                uris.stream().map(u -> u.clientKeys().publicKey()).toList(), backend, Clock.systemUTC(),
                NwcWalletService.Config.defaults()).start();
        return new DevWalletServer(network, pool, service, backend, List.copyOf(uris));
    }

    /** Whether the service's relay connection is up (requests sent before that are not heard). */
    public boolean connected() {
        return pool.health().stream().anyMatch(org.fedai.nostr.pool.RelayHealth::connected);
    }

    /**
     * Waits until a relay serves the wallet's 13194 info event back, so clients that read it first to pick the
     * encryption (Alby's SDK does) find it. True when it did within {@code timeout}.
     */
    public boolean awaitAnnounced(java.time.Duration timeout) {
        java.util.concurrent.CompletableFuture<Boolean> seen = new java.util.concurrent.CompletableFuture<>();
        org.fedai.nostr.Filter filter = org.fedai.nostr.Filter.builder().kinds(Nip47.INFO_KIND)
                .authors(service.pubkey()).build();
        try (org.fedai.nostr.pool.Subscription sub = pool.subscribe(List.of(filter), (event, relay) -> seen.complete(true))) {
            return seen.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The service's counters by name in lower case (answered, replayed, malformed, ...), for {@code --stats}. */
    public java.util.Map<String, Long> counters() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (NwcWalletService.Counter c : NwcWalletService.Counter.values()) {
            out.put(c.name().toLowerCase(java.util.Locale.ROOT), service.count(c));
        }
        return out;
    }

    /** Forgets what the ledger no longer needs from before {@code keep} ago (WalletLedger#pruneFinished). */
    public int pruneFinished(java.time.Duration keep) {
        return network.ledger().pruneFinished(java.time.Instant.now().getEpochSecond() - keep.toSeconds());
    }

    /** One connection URI per account, in account order. */
    public List<NwcUri> uris() {
        return uris;
    }

    public DevWalletBackend backend() {
        return backend;
    }

    public NwcWalletService service() {
        return service;
    }

    /** The balance of the account behind a connection. */
    public long balanceMsat(NwcUri uri) {
        return network.balance(uri.clientKeys().publicKey());
    }

    /** Account i's client secret: stable for a service key, different for every index. */
    static String clientSecret(byte[] seed, int index) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            for (int counter = 0; ; counter++) {
                byte[] secret = mac.doFinal(("fedai dev wallet client:" + index + ":" + counter)
                        .getBytes(StandardCharsets.UTF_8));
                if (Secp256k1Keys.isValidSecretKey(secret)) {
                    return Hex.encode(secret);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK ships HmacSHA256", e);
        }
    }

    @Override
    public void close() {
        service.close();
        pool.close();
        network.close();
    }
}
