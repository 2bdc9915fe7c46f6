package org.fedai.roles.fl;

import org.fedai.domain.PublicKey;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedai.fl.data.Dataset;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.EventListener;
import org.fedai.nostr.pool.PublishResult;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.FlChunk;
import org.fedai.protocol.FlChunkCodecs;
import org.fedai.protocol.FlChunking;
import org.fedai.protocol.FlContext;

/**
 * A light node: it does no training. It preprocesses its samples (bytes per pixel, label first), seals
 * them with NIP-44 to the one full node it chose, in hash-committed 4422 chunks under the 60 KB event
 * limit, and can later withdraw: a NIP-09 deletion (kind 5) of every 4422 it sent for the task, tagged
 * with the task address, which relays act on and the full node honours by dropping the data.
 */
public final class LightNodeRole {

    /** What was sent: events, payload bytes, and the whole-payload hash the full node will check. */
    public record Sent(List<String> eventIds, int bytes, String sha256) {
    }

    private final RelayPort pool;
    private final KeyPair keys;
    private final String address;
    private final Duration timeout;
    private final InstantSource clock;

    public LightNodeRole(RelayPort pool, KeyPair keys, PublicKey coordinator, String taskId, Duration timeout) {
        this(pool, keys, coordinator, taskId, timeout, InstantSource.system());
    }

    /** @param clock what the events' timestamps are read from */
    public LightNodeRole(RelayPort pool, KeyPair keys, PublicKey coordinator, String taskId, Duration timeout,
            InstantSource clock) {
        this.clock = clock;
        this.pool = pool;
        this.keys = keys;
        this.address = FlContext.taskAddress(coordinator.hex(), taskId);
        this.timeout = timeout;
    }

    public Sent contribute(Dataset data, String fullNode) {
        byte[] payload = FlData.encodeSamples(data);
        String stream = "data-" + keys.publicKey().substring(0, 16);
        List<FlChunk> chunks = FlChunking.split(0, stream, stream, "bytes", payload);
        FlContext ctx = new FlContext(address, 0, Map.of());
        long now = clock.instant().getEpochSecond();
        List<Event> events = chunks.stream()
                .map(c -> EventSigner.sign(FlChunkCodecs.encodeDataChunk(c, ctx, keys, fullNode, now), keys)).toList();
        publish(events);
        return new Sent(events.stream().map(Event::id).toList(), payload.length, chunks.getFirst().wholeSha256());
    }

    /** Deletes every data chunk this key sent for the task; returns how many it named. */
    public int withdraw() throws InterruptedException {
        List<String> ids = new ArrayList<>();
        CompletableFuture<Void> stored = new CompletableFuture<>();
        Filter mine = Filter.builder().kinds(FedaiKind.FL_DATA_CHUNK.number()).authors(keys.publicKey())
                .tag('a', address).build();
        try (Subscription s = pool.subscribe(List.of(mine), new EventListener() {
            @Override
            public void onEvent(Event event, String relayUrl) {
                synchronized (ids) {
                    ids.add(event.id());
                }
            }

            @Override
            public void onEose(String relayUrl) {
                stored.complete(null);
            }
        })) {
            stored.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the relay did not list this node's data in " + timeout, e);
        }
        List<List<String>> tags = new ArrayList<>();
        synchronized (ids) {
            ids.forEach(id -> tags.add(List.of("e", id)));
        }
        tags.add(List.of("k", Integer.toString(FedaiKind.FL_DATA_CHUNK.number())));
        tags.add(List.of("a", address));
        UnsignedEvent deletion = new UnsignedEvent(clock.instant().getEpochSecond(), 5, tags,
                "withdrawn from future rounds of " + address);
        publish(List.of(EventSigner.sign(deletion, keys)));
        return tags.size() - 2;
    }

    private void publish(List<Event> events) {
        List<CompletableFuture<PublishResult>> acks = events.stream().map(e -> pool.publish(e, timeout)).toList();
        for (CompletableFuture<PublishResult> ack : acks) {
            PublishResult r = ack.orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).join();
            if (!r.acceptedByAny()) {
                throw new IllegalStateException("no relay accepted " + r.eventId() + ": " + r.outcomes());
            }
        }
    }
}
