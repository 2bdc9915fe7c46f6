package org.fedai.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.UnsignedEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One core's throughput for the per-event work every role does: id, sign, verify, JSON both ways, and
 * the whole receive pipeline (parse + id + verify + dedupe) on distinct events, as a relay feed is.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class EventBenchmark {

    private static final int POOL = 4096;

    private final KeyPair keys = KeyPair.generate();
    private UnsignedEvent unsigned;
    private final List<Event> events = new ArrayList<>(POOL);
    private final List<String> jsons = new ArrayList<>(POOL);
    private Cache<String, Boolean> seen;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        unsigned = new UnsignedEvent(1_700_000_000L, 1,
                List.of(List.of("p", keys.publicKey()), List.of("t", "fedai")),
                "a typical short note with some unicode: héllo wörld 👋");
        for (int i = 0; i < POOL; i++) {
            Event e = EventSigner.sign(unsigned.withCreatedAt(1_700_000_000L + i), keys);
            events.add(e);
            jsons.add(EventJson.toJson(e));
        }
    }

    @Setup(Level.Iteration)
    public void freshDedupe() {
        seen = Caffeine.newBuilder().maximumSize(100_000).build();
    }

    private int nextIndex() {
        next = (next + 1) & (POOL - 1);
        return next;
    }

    @Benchmark
    public byte[] computeId() {
        Event e = events.get(nextIndex());
        return EventSigner.idBytes(e.pubkey(), e.createdAt(), e.kind(), e.tags(), e.content());
    }

    @Benchmark
    public Event sign() {
        return EventSigner.sign(unsigned, keys);
    }

    @Benchmark
    public boolean verify() {
        return EventVerifier.isValid(events.get(nextIndex()));
    }

    @Benchmark
    public Event parseJson() throws MalformedEventException {
        return EventJson.parse(jsons.get(nextIndex()));
    }

    @Benchmark
    public String serializeJson() {
        return EventJson.toJson(events.get(nextIndex()));
    }

    /**
     * What a subscriber does per incoming event, worst case: every event is new. Seen-check first (cheap),
     * verify, then mark seen, so a forged copy can never shadow the real event. The cache is emptied
     * when the pool wraps so that no event is ever a duplicate.
     */
    @Benchmark
    public boolean receivePipeline() throws MalformedEventException {
        int i = nextIndex();
        if (i == 0) {
            seen.invalidateAll();
        }
        Event e = EventJson.parse(jsons.get(i));
        if (seen.getIfPresent(e.id()) != null || !EventVerifier.isValid(e)) {
            return false;
        }
        seen.put(e.id(), Boolean.TRUE);
        return true;
    }
}
