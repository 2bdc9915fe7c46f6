package org.fedai.roles.nip90;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.nostr.pool.Subscription;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.nip90.Nip90Encryption;
import org.fedai.protocol.nip90.Nip90Feedback;
import org.fedai.protocol.nip90.Nip90FeedbackCodec;
import org.fedai.protocol.nip90.Nip90Input;
import org.fedai.protocol.nip90.Nip90RequestCodec;
import org.fedai.protocol.nip90.Nip90Result;
import org.fedai.protocol.nip90.Nip90ResultCodec;
import org.fedai.protocol.nip90.Nip90Status;

/**
 * A NIP-90 customer as DVM clients behave, knowing nothing of fedai: it posts requests, pays the invoice of every
 * {@code payment-required} from its own wallet, and collects feedback and results. For {@code fedai demo --nip90}
 * and the tests; third-party clients are tested with nostr-tools (test-relays/interop-nip90.mjs).
 */
public final class Nip90Customer implements AutoCloseable {

    private final KeyPair keys;
    private final RelayPort pool;
    private final PaymentBackend wallet;
    private final List<Nip90Feedback> feedback = new CopyOnWriteArrayList<>();
    private final List<Nip90Result> results = new CopyOnWriteArrayList<>();
    private final Subscription subscription;
    private final List<String> heldInvoices = new CopyOnWriteArrayList<>();
    private volatile boolean holding;

    public Nip90Customer(KeyPair keys, RelayPort pool, PaymentBackend wallet) {
        this.keys = keys;
        this.pool = pool;
        this.wallet = wallet;
        subscription = pool.subscribe(List.of(Filter.builder().kinds(7000, 6050, 6700, 6701)
                .tag('p', keys.publicKey()).build()), (e, relay) -> onAnswer(e));
    }

    public KeyPair keys() {
        return keys;
    }

    private void onAnswer(Event e) {
        if (e.kind() == Nip90FeedbackCodec.KIND) {
            if (Nip90FeedbackCodec.decode(e, keys) instanceof Decoded.Accepted<Nip90Feedback> f) {
                feedback.add(f.value());
                if (f.value().status() == Nip90Status.PAYMENT_REQUIRED && !f.value().bolt11().isEmpty()) {
                    pay(f.value().bolt11());
                }
            }
        } else if (Nip90ResultCodec.decode(e, keys) instanceof Decoded.Accepted<Nip90Result> r) {
            results.add(r.value());
        }
    }

    /** From now on invoices are kept, not paid, until {@link #payHeld()}: a customer that pays late. */
    public void holdPayments() {
        holding = true;
    }

    /** Pays every invoice kept so far, each once, and pays the next ones at once again. */
    public void payHeld() {
        holding = false;
        for (String bolt11 : List.copyOf(heldInvoices)) {
            heldInvoices.remove(bolt11);
            pay(bolt11);
        }
    }

    private void pay(String bolt11) {
        if (holding) {
            if (!heldInvoices.contains(bolt11)) {
                heldInvoices.add(bolt11);
            }
            return;
        }
        wallet.pay(bolt11, OptionalLong.empty()); // a second payment-required for a paid invoice: the wallet refuses
    }

    /** Posts a request of {@code kind} over {@code texts}; encrypted ones name {@code provider}. Its event id. */
    public String post(int kind, List<String> texts, Map<String, String> params, OptionalLong bid,
            Nip90Encryption encryption, String provider) {
        UnsignedEvent request = Nip90RequestCodec.encode(kind, texts.stream().map(Nip90Input::text).toList(), params,
                "", bid, List.of(), encryption == Nip90Encryption.NONE ? List.of() : List.of(provider), encryption,
                keys, System.currentTimeMillis() / 1000);
        return post(EventSigner.sign(request, keys));
    }

    /** Posts an event as it is (a malformed request, say). */
    public String post(Event signed) {
        pool.publish(signed, Duration.ofSeconds(10));
        return signed.id();
    }

    public List<Nip90Feedback> feedback(String request) {
        return feedback.stream().filter(f -> f.requestId().equals(request)).toList();
    }

    public List<Nip90Status> statuses(String request) {
        return feedback(request).stream().map(Nip90Feedback::status).toList();
    }

    /** The result for {@code request}, or null while there is none. */
    public Nip90Result result(String request) {
        return results.stream().filter(r -> r.requestId().equals(request)).findFirst().orElse(null);
    }

    /** Answered for good: a result with {@code success}, or an {@code error}. */
    public boolean answered(String request) {
        List<Nip90Status> s = statuses(request);
        return s.contains(Nip90Status.ERROR) || (result(request) != null && s.contains(Nip90Status.SUCCESS));
    }

    @Override
    public void close() {
        subscription.close();
    }
}
