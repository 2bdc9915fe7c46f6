package org.fedai.nostr.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.nostr.pool.PoolTestSupport.ALICE;
import static org.fedai.nostr.pool.PoolTestSupport.event;
import static org.fedai.nostr.pool.PoolTestSupport.note;
import static org.fedai.nostr.pool.PoolTestSupport.tampered;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The pool's contract, run against relays we did not script: the embedded relay and a third-party one. */
@RelayTest
class RelayPoolOnRealRelaysTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private TestRelay relay(Supplier<TestRelay> factory) {
        TestRelay relay = factory.get();
        closeables.add(relay);
        return relay;
    }

    private RelayPool pool(RelayPoolConfig config, TestRelay... relays) {
        RelayPool pool = new RelayPool(config);
        closeables.add(pool);
        for (TestRelay r : relays) {
            pool.addRelay(r.url());
        }
        return pool;
    }

    private RelayPool pool(TestRelay... relays) {
        return pool(PoolTestSupport.fastConfig(), relays);
    }

    private static void publishAccepted(RelayPool pool, Event e) throws Exception {
        PublishResult r = pool.publish(e, WAIT).get();
        assertThat(r.acceptedByAny()).as("publish %s: %s", e.id(), r.outcomes()).isTrue();
    }

    private static RecordingListener subscribeAndAwaitEose(RelayPool pool, int relays, Filter... filters) {
        RecordingListener listener = new RecordingListener();
        pool.subscribe(List.of(filters), listener);
        await().atMost(WAIT).until(() -> listener.eose.size() >= relays);
        return listener;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fedai.nostr.pool.RealRelays#both")
    void liveEventsMatchingAnyOfSeveralFiltersArriveOnce(String name, Supplier<TestRelay> factory) throws Exception {
        TestRelay relay = relay(factory);
        RelayPool publisher = pool(relay);
        RelayPool subscriber = pool(relay);
        String marker = "m" + System.nanoTime();
        RecordingListener got = subscribeAndAwaitEose(subscriber, 1,
                Filter.builder().kinds(1).tag('t', marker).build(),
                Filter.builder().kinds(7).authors(ALICE.publicKey()).since(Instant.now().getEpochSecond()).build());
        Event a = event(1, "emoji 🐈 \"quotes\" \\ \u2028", List.of(List.of("t", marker)));
        Event b = event(7, "+", List.of());
        Event unrelated = event(1, "not for us", List.of(List.of("t", "other")));
        publishAccepted(publisher, a);
        publishAccepted(publisher, b);
        publishAccepted(publisher, unrelated);
        await().atMost(WAIT).until(() -> got.events.size() >= 2);
        assertThat(got.ids()).containsExactlyInAnyOrder(a.id(), b.id());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fedai.nostr.pool.RealRelays#both")
    void storedEventsComeNewestFirstUpToTheLimit(String name, Supplier<TestRelay> factory) throws Exception {
        TestRelay relay = relay(factory);
        RelayPool publisher = pool(relay);
        KeyPair author = KeyPair.generate();
        long t0 = Instant.now().getEpochSecond() - 100;
        List<Event> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Event e = EventSigner.sign(new UnsignedEvent(t0 + i, 1, List.of(), "n" + i), author);
            written.add(e);
            publishAccepted(publisher, e);
        }
        RecordingListener got = subscribeAndAwaitEose(pool(relay), 1,
                Filter.builder().authors(author.publicKey()).limit(2).build());
        assertThat(got.ids()).containsExactly(written.get(4).id(), written.get(3).id());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fedai.nostr.pool.RealRelays#both")
    void theSameEventFromTwoRelaysIsDeliveredOnce(String name, Supplier<TestRelay> factory) throws Exception {
        TestRelay one = relay(factory);
        TestRelay two = relay(factory);
        RelayPool both = pool(one, two);
        String marker = "d" + System.nanoTime();
        RecordingListener got = subscribeAndAwaitEose(both, 2, Filter.builder().tag('t', marker).build());
        Event e = event(1, "twice", List.of(List.of("t", marker)));
        PublishResult r = pool(one, two).publish(e, WAIT).get();
        assertThat(r.outcomes().values()).allMatch(PublishResult.Outcome::accepted);
        await().atMost(WAIT).until(() -> both.health().stream().mapToLong(RelayHealth::duplicatesSuppressed).sum() >= 1);
        assertThat(got.ids()).containsExactly(e.id());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fedai.nostr.pool.RealRelays#both")
    void aTamperedEventIsRefusedByTheRelay(String name, Supplier<TestRelay> factory) throws Exception {
        TestRelay relay = relay(factory);
        PublishResult r = pool(relay).publish(tampered(note("original " + System.nanoTime())), WAIT).get();
        PublishResult.Outcome outcome = r.outcomes().get(relay.url());
        assertThat(outcome).isInstanceOf(PublishResult.Outcome.Rejected.class);
        assertThat(((PublishResult.Outcome.Rejected) outcome).prefix()).isEqualTo("invalid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fedai.nostr.pool.RealRelays#both")
    void addressableEventsAreReplacedAndEphemeralOnesNotStored(String name, Supplier<TestRelay> factory)
            throws Exception {
        TestRelay relay = relay(factory);
        RelayPool publisher = pool(relay);
        KeyPair node = KeyPair.generate();
        long now = Instant.now().getEpochSecond();
        Event v1 = EventSigner.sign(new UnsignedEvent(now - 10, 31400, List.of(List.of("d", "n1")), "v1"), node);
        Event v2 = EventSigner.sign(new UnsignedEvent(now, 31400, List.of(List.of("d", "n1")), "v2"), node);
        Event heartbeat = EventSigner.sign(new UnsignedEvent(now, 24400, List.of(), "{}"), node);
        publishAccepted(publisher, v1);
        publishAccepted(publisher, v2);
        publishAccepted(publisher, heartbeat);
        RecordingListener got = subscribeAndAwaitEose(pool(relay), 1, Filter.builder().authors(node.publicKey()).build());
        assertThat(got.ids()).containsExactly(v2.id());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fedai.nostr.pool.RealRelays#both")
    void aSealedJobSpecCrossesTheRelayAndOnlyTheRouterReadsIt(String name, Supplier<TestRelay> factory)
            throws Exception {
        TestRelay relay = relay(factory);
        KeyPair client = KeyPair.generate();
        KeyPair router = KeyPair.generate();
        long now = Instant.now().getEpochSecond();
        JobRequest.Spec spec = new JobRequest.Spec("m", "embedding", "ab".repeat(32), 10, 1, 100,
                JobRequest.Constraints.none(), PaymentTiming.BEFORE, now + 600, now + 300);
        RecordingListener got = subscribeAndAwaitEose(pool(relay), 1,
                Filter.builder().kinds(4400).tag('p', router.publicKey()).build());
        publishAccepted(pool(relay), EventSigner.sign(JobRequestCodec.encode(spec, client, router.publicKey(), now),
                client));
        await().atMost(WAIT).until(() -> !got.events.isEmpty());
        Decoded<JobRequest> decoded = JobRequestCodec.decode(got.events.get(0), router, now);
        assertThat(decoded.orElseThrow()).isEqualTo(spec);
        assertThat(JobRequestCodec.decode(got.events.get(0), client, now).isAccepted()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fedai.nostr.pool.RealRelays#both")
    void anEventStoredWhileTheSubscriberWasAwayArrivesOnceAfterTheRelayRestarts(String name,
            Supplier<TestRelay> factory) throws Exception {
        TestRelay relay = relay(factory);
        // the subscriber reconnects slowly, so the publisher's copy lands while it is still away
        RelayPool subscriber = pool(RelayPoolConfig.defaults().withReconnect(Duration.ofSeconds(2),
                Duration.ofSeconds(2)), relay);
        RelayPool publisher = pool(relay);
        String marker = "r" + System.nanoTime();
        RecordingListener got = subscribeAndAwaitEose(subscriber, 1, Filter.builder().tag('t', marker).build());
        Event before = event(1, "before", List.of(List.of("t", marker)));
        publishAccepted(publisher, before);
        await().atMost(WAIT).until(() -> got.events.size() == 1);

        relay.stop();
        await().atMost(WAIT).until(() -> subscriber.health().stream().noneMatch(RelayHealth::connected));
        relay.start();
        Event during = event(1, "while away", List.of(List.of("t", marker)));
        publishAccepted(publisher, during);

        await().atMost(WAIT).until(() -> got.events.size() >= 2);
        assertThat(got.ids()).containsExactly(before.id(), during.id());
        assertThat(subscriber.health().get(0).reconnects()).isGreaterThanOrEqualTo(1);
    }
}
