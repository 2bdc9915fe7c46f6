package org.fedai.nostr.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.nostr.pool.PoolTestSupport.ALICE;
import static org.fedai.nostr.pool.PoolTestSupport.badSignature;
import static org.fedai.nostr.pool.PoolTestSupport.event;
import static org.fedai.nostr.pool.PoolTestSupport.fastConfig;
import static org.fedai.nostr.pool.PoolTestSupport.note;
import static org.fedai.nostr.pool.PoolTestSupport.tampered;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.Filter;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@RelayTest
class RelayPoolTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private ScriptedRelay relay() throws Exception {
        ScriptedRelay relay = ScriptedRelay.started();
        closeables.add(relay);
        return relay;
    }

    private RelayPool pool(TestRelay... relays) {
        RelayPool pool = new RelayPool(fastConfig());
        closeables.add(pool);
        for (TestRelay r : relays) {
            pool.addRelay(r.url());
        }
        return pool;
    }

    private static RelayHealth health(RelayPool pool, TestRelay relay) {
        return pool.health().stream().filter(h -> h.url().equals(relay.url())).findFirst().orElseThrow();
    }

    @Test
    void publishedEventReachesASubscriberAndTheRelay() throws Exception {
        ScriptedRelay relay = relay();
        RelayPool pool = pool(relay);
        RecordingListener listener = new RecordingListener();
        pool.subscribe(List.of(Filter.builder().kinds(1).authors(ALICE.publicKey()).build()), listener);
        await().until(() -> listener.eose.contains(relay.url()));

        Event note = note("hello relays");
        PublishResult result = pool.publish(note, Duration.ofSeconds(10)).get();

        assertThat(result.eventId()).isEqualTo(note.id());
        assertThat(result.outcomes()).containsOnlyKeys(relay.url());
        assertThat(result.outcomes().get(relay.url())).isInstanceOf(PublishResult.Outcome.Accepted.class);
        assertThat(result.acceptedByAny()).isTrue();
        assertThat(relay.stored()).containsExactly(note);
        await().until(() -> listener.events.size() == 1);
        assertThat(listener.events).containsExactly(note);
        assertThat(listener.eventRelays).containsExactly(relay.url());
        assertThat(health(pool, relay).lastRoundTrip()).isNotNull();
    }

    @Test
    void oneReqCarriesSeveralFiltersAndDeliversTheUnion() throws Exception {
        ScriptedRelay relay = relay();
        Event kind1 = event(1, "plain note", List.of());
        Event tagged = event(30023, "tagged", List.of(List.of("t", "fedai")));
        Event reaction = event(7, "+", List.of());
        List.of(kind1, tagged, reaction).forEach(relay::store);
        RelayPool pool = pool(relay);
        RecordingListener listener = new RecordingListener();

        pool.subscribe(List.of(Filter.builder().kinds(1).build(), Filter.builder().tag('t', "fedai").build()),
                listener);

        await().until(() -> listener.eose.contains(relay.url()));
        assertThat(listener.events).containsExactlyInAnyOrder(kind1, tagged);
        assertThat(relay.reqs()).singleElement().satisfies(req -> assertThat(req.filters()).hasSize(2));
    }

    @Test
    void sameEventFromThreeRelaysIsDeliveredOnce() throws Exception {
        List<ScriptedRelay> relays = List.of(relay(), relay(), relay());
        Event note = note("everywhere");
        relays.forEach(r -> r.store(note));
        RelayPool pool = pool(relays.toArray(TestRelay[]::new));
        RecordingListener listener = new RecordingListener();

        pool.subscribe(List.of(Filter.builder().kinds(1).build()), listener);

        await().until(() -> listener.eose.size() == 3);
        assertThat(listener.events).containsExactly(note);
        assertThat(pool.health().stream().mapToLong(RelayHealth::duplicatesSuppressed).sum()).isEqualTo(2);
    }

    @Test
    void forgedAndUnaskedEventsAreDroppedAndCountedWithTheirReason() throws Exception {
        ScriptedRelay relay = relay();
        RelayPool pool = pool(relay);
        RecordingListener listener = new RecordingListener();
        pool.subscribe(List.of(Filter.builder().kinds(1).build()), listener);
        await().until(() -> listener.eose.contains(relay.url()));

        Event genuine = note("genuine");
        relay.sendToSubscriptions(badSignature(genuine));
        relay.sendToSubscriptions(tampered(genuine));
        relay.sendToSubscriptions(event(7, "not asked for", List.of()));
        relay.sendToSubscriptions(genuine); // a forged copy seen first must not shadow the real one

        await().until(() -> listener.events.size() == 1);
        assertThat(listener.events).containsExactly(genuine);
        RelayHealth health = health(pool, relay);
        assertThat(health.invalidEvents()).containsOnly(
                org.assertj.core.api.Assertions.entry(EventCheck.BAD_SIGNATURE.reason(), 1L),
                org.assertj.core.api.Assertions.entry(EventCheck.ID_MISMATCH.reason(), 1L),
                org.assertj.core.api.Assertions.entry(Subscription.NOT_MATCHING, 1L));
        assertThat(health.invalidEventsTotal()).isEqualTo(3);
    }

    @Test
    void garbageFramesAreCountedAndTheConnectionIsKept() throws Exception {
        ScriptedRelay relay = relay();
        RelayPool pool = pool(relay);
        RecordingListener listener = new RecordingListener();
        pool.subscribe(List.of(Filter.builder().kinds(1).build()), listener);
        await().until(() -> listener.eose.contains(relay.url()));

        relay.sendRaw("not json at all");
        relay.sendRaw("{\"an\":\"object\"}");
        relay.sendRaw("[\"WHATEVER\",\"x\"]");
        relay.sendRaw("[\"EVENT\",\"sub\",{\"id\":42}]");
        relay.sendRaw("[\"OK\",\"abc\"");
        relay.sendBinary(new byte[] {1, 2, 3});
        relay.sendRaw("[\"NOTICE\",\"slow down\"]");
        Event after = note("still here");
        relay.store(after);

        await().until(() -> listener.events.contains(after));
        RelayHealth health = health(pool, relay);
        assertThat(health.malformedFrames()).isEqualTo(6);
        assertThat(health.notices()).isEqualTo(1);
        assertThat(health.connected()).isTrue();
        assertThat(health.reconnects()).isZero();
        assertThat(relay.connectionCount()).isEqualTo(1);
    }

    @Test
    void relayVerdictsAreReportedPerRelay() throws Exception {
        ScriptedRelay accepting = relay();
        ScriptedRelay blocking = relay();
        ScriptedRelay silent = relay();
        blocking.rejectWith("blocked: not on the allow list");
        silent.withholdOk(true);
        RelayPool pool = pool(accepting, blocking, silent);

        PublishResult result = pool.publish(note("verdicts"), Duration.ofSeconds(3)).get();

        assertThat(result.outcomes().get(accepting.url())).isInstanceOf(PublishResult.Outcome.Accepted.class);
        assertThat(result.outcomes().get(blocking.url()))
                .isEqualTo(new PublishResult.Outcome.Rejected("blocked", "blocked: not on the allow list"));
        assertThat(result.outcomes().get(silent.url())).isInstanceOf(PublishResult.Outcome.TimedOut.class);
        assertThat(result.acceptedByAny()).isTrue();
        assertThat(pool.health()).allSatisfy(h -> assertThat(h.pendingPublishes()).isZero());
    }

    @Test
    void publishPastItsDeadlineReportsTimedOut() throws Exception {
        ScriptedRelay relay = relay();
        relay.delayOk(Duration.ofSeconds(3));
        RelayPool pool = pool(relay);

        PublishResult result = pool.publish(note("too slow"), Duration.ofMillis(300)).get();

        assertThat(result.outcomes().get(relay.url())).isInstanceOf(PublishResult.Outcome.TimedOut.class);
        assertThat(result.outcomes().get(relay.url()).message()).isEqualTo("timed out");
        assertThat(result.acceptedByAny()).isFalse();
    }

    @Test
    void closingASubscriptionSendsClose() throws Exception {
        ScriptedRelay relay = relay();
        RelayPool pool = pool(relay);
        RecordingListener listener = new RecordingListener();
        Subscription sub = pool.subscribe(List.of(Filter.builder().kinds(1).build()), listener);
        await().until(() -> relay.openSubscriptionCount() == 1);

        sub.close();

        await().until(() -> relay.openSubscriptionCount() == 0);
        assertThat(sub.isClosed()).isTrue();
        relay.store(note("after close"));
        assertThat(relay.received()).last().isInstanceOf(org.fedai.nostr.ClientMessage.Close.class);
        assertThat(listener.events).isEmpty();
    }

    @Test
    void relayClosedSubscriptionIsSurfacedToTheListener() throws Exception {
        ScriptedRelay relay = relay();
        relay.requireAuth(true); // and the pool has no keys: the CLOSED is final
        RelayPool pool = pool(relay);
        RecordingListener listener = new RecordingListener();

        pool.subscribe(List.of(Filter.builder().kinds(1).build()), listener);

        await().until(() -> listener.closed.containsKey(relay.url()));
        assertThat(listener.closed.get(relay.url())).startsWith("auth-required:");
        PublishResult result = pool.publish(note("refused"), Duration.ofSeconds(5)).get();
        assertThat(result.outcomes().get(relay.url()))
                .isEqualTo(new PublishResult.Outcome.Rejected("auth-required", "auth-required: publish after AUTH"));
    }
}
