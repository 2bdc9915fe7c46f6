package org.fedai.roles.fl;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.fl.secagg.SecAggMessage;
import org.fedai.fl.sim.RoundTransport;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.PublishResult;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.FlChunk;
import org.fedai.protocol.FlChunkCodecs;
import org.fedai.protocol.FlChunking;
import org.fedai.protocol.FlContext;
import org.fedai.protocol.FlMessage;
import org.fedai.protocol.FlRoundCodecs;
import org.fedai.protocol.Rejection;

/**
 * Carries each SecAgg+ message of a simulated round through a Nostr relay: the sender's key signs the
 * federation event(s) of its kind (4420 enrollment, 4424 key share, 4423 update chunks, 4425/4426 unmask),
 * the pool publishes them, and the message counts as delivered only when every event has come back on
 * the subscription and decodes, as its receiver would decode it, to exactly the message sent. Each
 * simulated participant has its own Nostr key; the aggregator's key is the task's coordinator.
 *
 * <p>One instance serves one secure group in one round (its own dropouts), as {@code InProcessTransport}
 * does; {@link #fresh()} makes the next one over the same pool, keys and subscription.
 */
public final class RelayRoundTransport implements RoundTransport, AutoCloseable {

    private static final String GROUP = "g";

    private final Wire wire;
    private final Set<String> vanished = ConcurrentHashMap.newKeySet();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong eventBytes = new AtomicLong();

    public RelayRoundTransport(RelayPort pool, String taskId, Duration timeout) {
        this(pool, taskId, timeout, InstantSource.system());
    }

    /** @param clock what the events' timestamps are read from */
    public RelayRoundTransport(RelayPort pool, String taskId, Duration timeout, InstantSource clock) {
        this(new Wire(pool, taskId, timeout, clock));
    }

    private RelayRoundTransport(Wire wire) {
        this.wire = wire;
    }

    /** A transport for the next group or round: same relay, keys and subscription; nobody vanished yet. */
    public RelayRoundTransport fresh() {
        return new RelayRoundTransport(wire);
    }

    /** Why events that came back were refused, over every transport sharing this wire. */
    public Map<Rejection.Reason, Long> rejections() {
        Map<Rejection.Reason, Long> out = new EnumMap<>(Rejection.Reason.class);
        wire.rejections.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Events published over every transport sharing this wire. */
    public long eventsPublished() {
        return wire.published.get();
    }

    @Override
    public boolean carry(String from, String to, SecAggMessage message) {
        if (vanished.contains(from) || vanished.contains(to)) {
            return false;
        }
        KeyPair sender = wire.key(from);
        KeyPair receiver = wire.key(to);
        FlContext ctx = wire.context(message.round());
        List<Event> events = encode(message, ctx, sender, receiver).stream().map(u -> EventSigner.sign(u, sender)).toList();
        List<Event> arrived = wire.send(events);
        if (arrived == null) {
            return false;
        }
        Rejection refused = decode(message, arrived, ctx, receiver);
        if (refused != null) {
            wire.rejections.computeIfAbsent(refused.reason(), r -> new AtomicLong()).incrementAndGet();
            return false;
        }
        messages.incrementAndGet();
        events.forEach(e -> eventBytes.addAndGet(EventJson.toJson(e).length()));
        return true;
    }

    private List<UnsignedEvent> encode(SecAggMessage message, FlContext ctx, KeyPair sender, KeyPair receiver) {
        long now = wire.clock.instant().getEpochSecond();
        String to = receiver.publicKey();
        return switch (message) {
            case SecAggMessage.EnrollmentKeys k -> List.of(FlRoundCodecs.encodeEnrollment(SecAggWire.enrollment(k), ctx, to, now));
            case SecAggMessage.EncryptedShare s -> List.of(FlRoundCodecs.encodeKeyShare(SecAggWire.keyShare(s), ctx, sender, to, now));
            case SecAggMessage.MaskedUpdate u -> chunks(u).stream()
                    .map(c -> FlChunkCodecs.encodeUpdateChunk(c, ctx, to, now)).toList();
            case SecAggMessage.UnmaskRequest r -> List.of(FlRoundCodecs.encodeUnmaskRequest(SecAggWire.unmaskRequest(r, GROUP), ctx, now));
            case SecAggMessage.UnmaskResponse r ->
                    List.of(FlRoundCodecs.encodeUnmaskResponse(SecAggWire.unmaskResponse(r), ctx, sender, to, now));
        };
    }

    /** Null when the events decode to exactly {@code message}; else why not. */
    private Rejection decode(SecAggMessage message, List<Event> events, FlContext ctx, KeyPair receiver) {
        Event first = events.get(0);
        String aggregator = wire.aggregator.publicKey();
        Decoded<?> decoded = switch (message) {
            case SecAggMessage.EnrollmentKeys k -> same(FlRoundCodecs.decodeEnrollment(first, ctx), SecAggWire.enrollment(k));
            case SecAggMessage.EncryptedShare s ->
                    same(FlRoundCodecs.decodeKeyShare(first, ctx, receiver, aggregator), SecAggWire.keyShare(s));
            case SecAggMessage.MaskedUpdate u -> maskedUpdate(events, ctx, u);
            case SecAggMessage.UnmaskRequest r -> same(FlRoundCodecs.decodeUnmaskRequest(first, ctx), SecAggWire.unmaskRequest(r, GROUP));
            case SecAggMessage.UnmaskResponse r ->
                    same(FlRoundCodecs.decodeUnmaskResponse(first, ctx, receiver), SecAggWire.unmaskResponse(r));
        };
        return decoded instanceof Decoded.Rejected<?> r ? r.rejection() : null;
    }

    private static Decoded<?> maskedUpdate(List<Event> events, FlContext ctx, SecAggMessage.MaskedUpdate u) {
        List<FlChunk> chunks = new ArrayList<>();
        for (Event e : events) {
            Decoded<FlChunk> c = FlChunkCodecs.decodeUpdateChunk(e, ctx);
            if (c instanceof Decoded.Rejected<FlChunk> r) {
                return r;
            }
            chunks.add(c.orElseThrow());
        }
        Decoded<byte[]> joined = FlChunking.assemble(chunks);
        if (joined instanceof Decoded.Rejected<byte[]> r) {
            return r;
        }
        Decoded<int[]> words = FlChunking.words(joined.orElseThrow());
        return words.isAccepted() && !Arrays.equals(words.orElseThrow(), u.masked())
                ? Decoded.rejected(Rejection.Reason.INCONSISTENT, "masked words changed in transit") : words;
    }

    private static <T> Decoded<T> same(Decoded<T> decoded, T expected) {
        return decoded.isAccepted() && !decoded.orElseThrow().equals(expected)
                ? Decoded.rejected(Rejection.Reason.INCONSISTENT, "message changed in transit") : decoded;
    }

    private static List<FlChunk> chunks(SecAggMessage.MaskedUpdate u) {
        return FlChunking.split(u.round(), u.from(), u.from(), "u32le", FlChunking.words(u.masked()));
    }

    @Override
    public void vanish(String participant) {
        vanished.add(participant);
    }

    @Override
    public boolean hasVanished(String participant) {
        return vanished.contains(participant);
    }

    @Override
    public long messages() {
        return messages.get();
    }

    /** Bytes of the signed events (JSON) this transport delivered. */
    @Override
    public long payloadBytes() {
        return eventBytes.get();
    }

    @Override
    public void close() {
        wire.close();
    }

    /** What every transport of one simulation shares: the pool, the keys, the one subscription. */
    private static final class Wire implements AutoCloseable {

        final RelayPort pool;
        final Duration timeout;
        final InstantSource clock;
        final KeyPair aggregator = KeyPair.generate();
        final String task;
        final Map<String, KeyPair> keys = new ConcurrentHashMap<>();
        final Map<String, CompletableFuture<Event>> arrivals = new ConcurrentHashMap<>();
        final Map<Rejection.Reason, AtomicLong> rejections = new ConcurrentHashMap<>();
        final AtomicLong published = new AtomicLong();
        final Subscription subscription;

        Wire(RelayPort pool, String taskId, Duration timeout, InstantSource clock) {
            this.pool = pool;
            this.timeout = timeout;
            this.clock = clock;
            this.task = FlContext.taskAddress(aggregator.publicKey(), taskId);
            Filter round = Filter.builder().kinds(FedaiKind.FL_ENROLLMENT.number(), FedaiKind.FL_UPDATE_CHUNK.number(),
                    FedaiKind.FL_KEY_SHARE.number(), FedaiKind.FL_UNMASK_REQUEST.number(),
                    FedaiKind.FL_UNMASK_RESPONSE.number()).tag('a', task).build();
            this.subscription = pool.subscribe(List.of(round), (event, relay) -> arrival(event.id()).complete(event));
        }

        KeyPair key(String name) {
            return name.equals(RoundTransport.AGGREGATOR) ? aggregator : keys.computeIfAbsent(name, n -> KeyPair.generate());
        }

        /** The roster as the simulator knows it: every participant that has a key signs for its own name. */
        FlContext context(int round) {
            Map<String, String> enrolled = new TreeMap<>();
            keys.forEach((name, k) -> enrolled.put(name, k.publicKey()));
            return new FlContext(task, round, enrolled);
        }

        CompletableFuture<Event> arrival(String id) {
            return arrivals.computeIfAbsent(id, x -> new CompletableFuture<>());
        }

        /** Publishes the events and waits until each has come back from the relay; null if one did not in time. */
        List<Event> send(List<Event> events) {
            List<CompletableFuture<Event>> back = events.stream().map(e -> arrival(e.id())).toList();
            try {
                List<CompletableFuture<PublishResult>> acks = events.stream().map(e -> pool.publish(e, timeout)).toList();
                published.addAndGet(events.size());
                for (CompletableFuture<PublishResult> ack : acks) {
                    if (!ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS).acceptedByAny()) {
                        return null;
                    }
                }
                CompletableFuture.allOf(back.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return back.stream().map(CompletableFuture::join).toList();
            } catch (TimeoutException | ExecutionException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public void close() {
            subscription.close();
            arrivals.clear();
        }
    }
}
