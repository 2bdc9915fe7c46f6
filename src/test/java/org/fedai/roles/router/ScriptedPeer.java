package org.fedai.roles.router;


import org.fedai.domain.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.protocol.Decoded;

/**
 * A market peer the test plays by hand (a node or a client): its own Nostr key, a real DevWallet account,
 * and everything p-tagged to it, kept for the test to decode with the real codecs.
 */
class ScriptedPeer {

    static final Duration WAIT = Duration.ofSeconds(10);

    final String name;
    final KeyPair keys = KeyPair.generate();
    final DevWallet wallet;
    final RelayPool pool;
    final List<Event> inbox = new CopyOnWriteArrayList<>();

    ScriptedPeer(String name, RelayPool pool, DevWalletNetwork network, long depositMsat) {
        this.name = name;
        this.pool = pool;
        this.wallet = network.wallet(name, org.fedai.nostr.Secp256k1Keys.generateSecretKey());
        if (depositMsat > 0) {
            network.deposit(name, depositMsat);
        }
        pool.subscribe(List.of(Filter.builder().tag('p', keys.publicKey()).build()), (event, relay) -> inbox.add(event));
    }

    String pubkey() {
        return keys.publicKey();
    }

    PublicKey key() {
        return PublicKey.of(keys.publicKey());
    }

    Event publish(UnsignedEvent unsigned) {
        Event event = EventSigner.sign(unsigned, keys);
        publish(event);
        return event;
    }

    void publish(Event event) {
        if (!pool.publish(event, WAIT).join().acceptedByAny()) {
            throw new AssertionError(name + ": no relay took " + event);
        }
    }

    long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** Every event of this kind received so far that decodes and matches. */
    <T> List<T> received(int kind, Function<Event, Decoded<T>> decode, java.util.function.Predicate<T> match) {
        return inbox.stream().filter(e -> e.kind() == kind).map(decode).filter(Decoded::isAccepted)
                .map(Decoded::orElseThrow).filter(match).toList();
    }

    /** Waits for the {@code n}-th (1-based) matching event of this kind. */
    <T> T awaitEvent(int kind, Function<Event, Decoded<T>> decode, java.util.function.Predicate<T> match, int n) {
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> received(kind, decode, match).size() >= n);
        return received(kind, decode, match).get(n - 1);
    }

    <T> Optional<T> first(int kind, Function<Event, Decoded<T>> decode, java.util.function.Predicate<T> match) {
        return received(kind, decode, match).stream().findFirst();
    }
}
