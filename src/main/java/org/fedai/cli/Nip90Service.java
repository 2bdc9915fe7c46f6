package org.fedai.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.roles.nip90.Nip90Gateway;
import org.fedai.roles.nip90.Nip90Tasks;
import org.fedai.roles.router.RouterRole;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.store.ClientJournal;
import org.fedai.store.Nip90Journal;

/**
 * {@code fedai router --nip90}, {@code fedai node --nip90} and {@code fedai demo --nip90}: the gateway beside a router, with its journals in one
 * SQLite file. Its key is derived from the router's, so it stays the same across restarts without a key file of its
 * own, and is not the router's (a router is never its own client).
 */
final class Nip90Service implements AutoCloseable {

    static final Map<Integer, String> DEFAULT_MODELS = Map.of(Nip90Tasks.EMBEDDING, EmbeddedRunner.EMBEDDING_MODEL,
            Nip90Tasks.CHUNKING, "cl100k_base");

    private final Nip90Journal journal;
    private final ClientJournal clientJournal;
    private final Nip90Gateway gateway;

    Nip90Service(KeyPair routerKeys, RouterRole router, RelayPool pool, Path db, Map<Integer, String> models) {
        this(Nip90Gateway.Config.of(gatewayKeys(routerKeys), withDefaults(models)), router, pool, db);
    }

    Nip90Service(Nip90Gateway.Config config, RouterRole router, RelayPool pool, Path db) {
        journal = Nip90Journal.open(db);
        clientJournal = ClientJournal.open(db);
        gateway = new Nip90Gateway(config, router, pool, journal, clientJournal);
    }

    /** The operator's {@code --nip90-model} choices over the built-in defaults. */
    static Map<Integer, String> withDefaults(Map<Integer, String> models) {
        Map<Integer, String> all = new HashMap<>(DEFAULT_MODELS);
        all.putAll(models);
        return all;
    }

    static KeyPair gatewayKeys(KeyPair routerKeys) {
        return KeyPair.fromSecretKey(Sha256.hash(("fedai:nip90-gateway:" + routerKeys.secretKeyHex())
                .getBytes(StandardCharsets.UTF_8)));
    }

    void start() throws InterruptedException {
        gateway.start();
    }

    Nip90Gateway gateway() {
        return gateway;
    }

    /** The gateway's npub and hex key, as operators and NIP-90 clients name it. */
    String npub() {
        return org.fedai.nostr.Nip19.encodeNpub(gateway.publicKey().hex()) + " (hex " + gateway.publicKey() + ")";
    }

    @Override
    public void close() {
        gateway.close();
        clientJournal.close();
        journal.close();
    }
}
