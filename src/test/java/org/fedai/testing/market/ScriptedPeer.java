package org.fedai.testing.market;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.Decoded;

/**
 * A market party the test plays by hand (a node, a client, a router): its own Nostr key, a real wallet account,
 * and everything p-tagged to it, kept for the test to decode with the real codecs. Made by
 * {@link TestMarket#scriptedPeer}.
 */
public final class ScriptedPeer {

    public static final Duration WAIT = Duration.ofSeconds(10);

    public final String name;
    public final KeyPair keys;
    public final PaymentBackend wallet;
    public final RelayPool pool;
    public final List<Event> inbox = new CopyOnWriteArrayList<>();

    ScriptedPeer(String name, KeyPair keys, PaymentBackend wallet, RelayPool pool) {
        this.name = name;
        this.keys = keys;
        this.wallet = wallet;
        this.pool = pool;
        pool.subscribe(List.of(Filter.builder().tag('p', keys.publicKey()).build()), (event, relay) -> inbox.add(event));
    }

    public String pubkey() {
        return keys.publicKey();
    }

    public PublicKey key() {
        return PublicKey.of(keys.publicKey());
    }

    /** Signs with this peer's key and publishes; a test whose event no relay takes fails here, not later. */
    public Event publish(UnsignedEvent unsigned) {
        Event event = EventSigner.sign(unsigned, keys);
        publish(event);
        return event;
    }

    public void publish(Event event) {
        if (!pool.publish(event, WAIT).join().acceptedByAny()) {
            throw new AssertionError(name + ": no relay took " + event);
        }
    }

    public long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** Every event of this kind received so far that decodes and matches. */
    public <T> List<T> received(int kind, Function<Event, Decoded<T>> decode, Predicate<T> match) {
        return inbox.stream().filter(e -> e.kind() == kind).map(decode).filter(Decoded::isAccepted)
                .map(Decoded::orElseThrow).filter(match).toList();
    }

    /** Waits for the {@code n}-th (1-based) matching event of this kind. */
    public <T> T awaitEvent(int kind, Function<Event, Decoded<T>> decode, Predicate<T> match, int n) {
        await().atMost(WAIT).until(() -> received(kind, decode, match).size() >= n);
        return received(kind, decode, match).get(n - 1);
    }
}
