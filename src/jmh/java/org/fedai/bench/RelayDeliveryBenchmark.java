package org.fedai.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.Subscription;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.InMemoryEventStore;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.nostr.relay.RelayLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second from a publishing pool, through the embedded relay (in memory, loopback), to a
 * subscribing pool that verifies, dedupes and delivers each one: everything in one JVM on this machine.
 * Events are signed in setup so that signing is not what is measured.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class RelayDeliveryBenchmark {

    private static final int BATCH = 500;
    private static final int SIGNED = 40_000;

    private EmbeddedRelay relay;
    private RelayPool publisher;
    private RelayPool subscriber;
    private Subscription subscription;
    private final AtomicReference<CountDownLatch> delivered = new AtomicReference<>(new CountDownLatch(0));
    private final KeyPair author = KeyPair.generate();
    private List<Event> events = List.of();
    private int next;

    @Setup(Level.Trial)
    public void start() throws Exception {
        // no rate limit: the publisher is one connection sending as fast as it can
        relay = new EmbeddedRelay(RelayConfig.defaults().withLimits(RelayLimits.DEFAULTS.withRate(1e9, 1_000_000)),
                new InMemoryEventStore()).start();
        publisher = new RelayPool();
        publisher.addRelay(relay.url());
        subscriber = new RelayPool();
        subscriber.addRelay(relay.url());
        CountDownLatch eose = new CountDownLatch(1);
        subscription = subscriber.subscribe(List.of(Filter.builder().kinds(1).authors(author.publicKey()).limit(0)
                .build()), new org.fedai.nostr.pool.EventListener() {
                    @Override
                    public void onEvent(Event event, String relayUrl) {
                        delivered.get().countDown();
                    }

                    @Override
                    public void onEose(String relayUrl) {
                        eose.countDown();
                    }
                }, 100_000);
        eose.await(30, TimeUnit.SECONDS);
    }

    @Setup(Level.Iteration)
    public void sign() {
        List<Event> fresh = new ArrayList<>(SIGNED);
        long base = System.currentTimeMillis() / 1000;
        for (int i = 0; i < SIGNED; i++) {
            fresh.add(EventSigner.sign(new UnsignedEvent(base, 1, List.of(), "delivery " + i + " " + System.nanoTime()),
                    author));
        }
        events = fresh;
        next = 0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void publishAndDeliver() throws Exception {
        if (next + BATCH > events.size()) {
            sign();
        }
        CountDownLatch latch = new CountDownLatch(BATCH);
        delivered.set(latch);
        for (int i = 0; i < BATCH; i++) {
            publisher.publish(events.get(next++), Duration.ofSeconds(30));
        }
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (BATCH - latch.getCount()) + " of " + BATCH + " delivered");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        subscription.close();
        subscriber.close();
        publisher.close();
        relay.close();
    }
}
