package org.fedai.roles.nip90;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.protocol.nip90.Nip89Handler;
import org.fedai.protocol.nip90.Nip89HandlerCodec;
import org.fedai.protocol.nip90.Nip90Encryption;
import org.fedai.protocol.nip90.Nip90Feedback;
import org.fedai.protocol.nip90.Nip90FeedbackCodec;
import org.fedai.protocol.nip90.Nip90Request;
import org.fedai.protocol.nip90.Nip90ResultCodec;
import org.fedai.protocol.nip90.Nip90Status;
import org.fedai.roles.common.Counters;

/**
 * What the gateway publishes, signed with its key: 7000 feedback, 6xxx results, its 31990 handler. Errors to
 * requests that did not decode are capped per customer, so that the gateway is no amplifier for anyone's spam.
 */
final class Nip90Answers {

    /** Events stay under the relays' common size limit (strfry's 64 KiB default, with room for the envelope). */
    static final int MAX_EVENT_BYTES = 60 * 1024;
    static final int ERRORS_PER_CUSTOMER_PER_MINUTE = 10;

    private final KeyPair keys;
    private final RelayPort pool;
    private final Duration deadline;
    private final InstantSource clock;
    private final Counters counters;
    private final Map<String, long[]> errorsByCustomer = new ConcurrentHashMap<>();

    Nip90Answers(KeyPair keys, RelayPort pool, Duration deadline, InstantSource clock, Counters counters) {
        this.keys = keys;
        this.pool = pool;
        this.deadline = deadline;
        this.clock = clock;
        this.counters = counters;
    }

    void feedback(Nip90Request request, Nip90Status status, String extra, OptionalLong amountMsat, String bolt11) {
        if (status == Nip90Status.ERROR && !withinErrorCap(request.customer())) {
            counters.count(Nip90FeedbackCodec.KIND, "error_capped");
            return;
        }
        publish(Nip90FeedbackCodec.encode(new Nip90Feedback(request.id(), request.customer(), status, extra,
                amountMsat, bolt11, ""), request, keys, now()));
        counters.count(Nip90FeedbackCodec.KIND, status.code());
    }

    /** An error for a request that did not decode: answered in the clear, to its author, with the reason. */
    void errorUnparsed(Event event, String reason, String detail) {
        Nip90Request bare = new Nip90Request(event.id(), event.kind(), event.pubkey(), event.createdAt(), List.of(),
                Map.of(), "", OptionalLong.empty(), List.of(), List.of(), Nip90Encryption.NONE, 0,
                EventJson.toJson(event));
        feedback(bare, Nip90Status.ERROR, reason + ": " + detail, OptionalLong.empty(), "");
    }

    /** The 6xxx result; its event id, or null when it would not fit one event. */
    String result(Nip90Request request, String content, OptionalLong amountMsat, String bolt11) {
        Event event = EventSigner.sign(Nip90ResultCodec.encode(content, amountMsat, bolt11, request, keys, now()), keys);
        if (EventJson.toJson(event).getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
            return null;
        }
        pool.publish(event, deadline);
        counters.count(request.resultKind(), "result");
        return event.id();
    }

    /** The gateway's NIP-89 handler: the kinds it serves, for the router whose nodes do the work. */
    void announce(String name, String about, PublicKey router, long now) {
        publish(Nip89HandlerCodec.encode(new Nip89Handler("fedai-gateway", Nip90Tasks.KINDS, name, about, Map.of(),
                "", router.hex()), now));
    }

    private boolean withinErrorCap(String customer) {
        long minute = now() / 60;
        long[] window = errorsByCustomer.compute(customer, (k, w) -> w == null || w[0] != minute
                ? new long[] {minute, 0} : w);
        synchronized (window) {
            return ++window[1] <= ERRORS_PER_CUSTOMER_PER_MINUTE;
        }
    }

    private void publish(UnsignedEvent unsigned) {
        pool.publish(EventSigner.sign(unsigned, keys), deadline);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
