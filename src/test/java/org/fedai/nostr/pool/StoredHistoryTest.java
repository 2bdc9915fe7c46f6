package org.fedai.nostr.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading a whole history from relays that answer one REQ with a page (and, one of them, from a cache). */
@RelayTest
class StoredHistoryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final KeyPair author = KeyPair.generate();
    private final String marker = "h" + System.nanoTime();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private RelayPool pool(TestRelay relay) {
        RelayPool pool = new RelayPool(PoolTestSupport.fastConfig());
        closeables.add(pool);
        pool.addRelay(relay.url());
        return pool;
    }

    private Filter filter() {
        return Filter.builder().tag('t', marker).build();
    }

    /** {@code count} events, three to a created_at second, so pages end inside a second. */
    private List<Event> publish(RelayPool pool, long firstSecond, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(EventSigner.sign(new UnsignedEvent(firstSecond + i / 3, 1, List.of(List.of("t", marker)), "n" + i),
                    author));
        }
        List<CompletableFuture<PublishResult>> acks = events.stream().map(e -> pool.publish(e, WAIT)).toList();
        acks.forEach(a -> assertThat(a.join().acceptedByAny()).isTrue());
        return events;
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    private static int storedAnswerSize(RelayPool pool, Filter filter) {
        RecordingListener plain = new RecordingListener();
        try (Subscription ignored = pool.subscribe(List.of(filter), plain)) {
            await().atMost(WAIT).until(() -> !plain.eose.isEmpty());
            return plain.events.size();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fedai.nostr.pool.RealRelays#both")
    void everyStoredEventArrivesOnceAcrossPagesAndNoneAfterUntil(String name, Supplier<TestRelay> factory) throws Exception {
        TestRelay relay = factory.get();
        closeables.add(relay);
        RelayPool pool = pool(relay);
        long t0 = Instant.now().getEpochSecond() - 1_000;
        List<Event> written = publish(pool, t0, 230);
        long until = t0 + 60; // the events of the first 61 seconds: 183 of them
        List<Event> expected = written.stream().filter(e -> e.createdAt() <= until).toList();

        List<Event> got = new CopyOnWriteArrayList<>();
        StoredHistory.Result r = StoredHistory.fetch(pool, filter(), until, 50, WAIT, got::add);

        assertThat(r.complete()).isTrue();
        assertThat(ids(got)).containsExactlyInAnyOrderElementsOf(ids(expected));
        assertThat(r.events()).isEqualTo(expected.size());
        assertThat(r.pages()).isGreaterThan(expected.size() / 50);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fedai.nostr.pool.RealRelays#both")
    void theWholeHistoryArrivesWhereOneReqGetsOnlyThePageTheRelayAllowsOrRemembers(String name,
            Supplier<TestRelay> factory) throws Exception {
        TestRelay relay = factory.get();
        closeables.add(relay);
        RelayPool pool = pool(relay);
        long t0 = Instant.now().getEpochSecond() - 1_000;
        List<Event> written = new ArrayList<>(publish(pool, t0, 120));
        int firstAnswer = storedAnswerSize(pool, filter());
        written.addAll(publish(pool, t0 + 100, 30));
        // asked again at once, the same REQ may be answered from the relay's cache of the first answer
        int secondAnswer = storedAnswerSize(pool, filter());

        List<Event> got = new CopyOnWriteArrayList<>();
        StoredHistory.Result r = StoredHistory.fetch(pool, filter(), Instant.now().getEpochSecond(), WAIT, got::add);

        assertThat(r.complete()).isTrue();
        assertThat(ids(got)).containsExactlyInAnyOrderElementsOf(ids(written));
        System.out.printf("%s: one REQ answered %d then %d of %d; the paged read %d in %d pages%n", name, firstAnswer,
                secondAnswer, written.size(), got.size(), r.pages());
    }
}
