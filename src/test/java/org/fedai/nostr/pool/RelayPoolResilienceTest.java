package org.fedai.nostr.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.nostr.pool.PoolTestSupport.fastConfig;
import static org.fedai.nostr.pool.PoolTestSupport.note;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.ClientMessage;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Relays that drop, restart, stall or ask for AUTH. */
@RelayTest
class RelayPoolResilienceTest {

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

    private RelayPool pool(RelayPoolConfig config, TestRelay... relays) {
        RelayPool pool = new RelayPool(config);
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
    void eventStoredDuringARelayRestartIsReceivedExactlyOnce() throws Exception {
        ScriptedRelay relay = relay();
        long now = Instant.now().getEpochSecond();
        Event before = note("before the outage", now - 10);
        relay.store(before);
        RelayPool pool = pool(fastConfig(), relay);
        RecordingListener listener = new RecordingListener();
        pool.subscribe(List.of(Filter.builder().kinds(1).build()), listener);
        await().until(() -> listener.events.contains(before));

        relay.stop();
        await().until(() -> !health(pool, relay).connected());
        Event during = note("during the outage", now - 5);
        relay.store(during); // as if another client had published it to the relay while we were cut off
        relay.start();

        await().until(() -> listener.events.contains(during));
        assertThat(listener.count(before)).isEqualTo(1);
        assertThat(listener.count(during)).isEqualTo(1);
        RelayHealth health = health(pool, relay);
        assertThat(health.reconnects()).isEqualTo(1);
        assertThat(health.duplicatesSuppressed()).isEqualTo(1); // "before" again, from the margin's overlap
        ClientMessage.Req resubscription = relay.reqs().getLast();
        assertThat(resubscription.filters()).singleElement()
                .satisfies(f -> assertThat(f.since()).isEqualTo(before.createdAt() - 60));
    }

    @Test
    void futureDatedEventDoesNotPushTheResubscriptionPastNow() throws Exception {
        ScriptedRelay relay = relay();
        long now = Instant.now().getEpochSecond();
        Event future = note("from a fast clock", now + 3600);
        relay.store(future);
        RelayPool pool = pool(fastConfig(), relay);
        RecordingListener listener = new RecordingListener();
        pool.subscribe(List.of(Filter.builder().kinds(1).build()), listener);
        await().until(() -> listener.events.contains(future));

        relay.dropConnections();

        await().until(() -> relay.reqs().size() == 2);
        Long since = relay.reqs().getLast().filters().getFirst().since();
        assertThat(since).isBetween(now - 60, Instant.now().getEpochSecond() - 60);
    }

    @Test
    void connectionDroppedMidSubscriptionIsResubscribed() throws Exception {
        ScriptedRelay relay = relay();
        RelayPool pool = pool(fastConfig(), relay);
        RecordingListener listener = new RecordingListener();
        pool.subscribe(List.of(Filter.builder().kinds(1).build()), listener);
        await().until(() -> relay.openSubscriptionCount() == 1);

        relay.dropConnections();

        await().until(() -> health(pool, relay).reconnects() == 1 && relay.openSubscriptionCount() == 1);
        Event live = note("after the drop");
        relay.store(live);
        await().until(() -> listener.events.contains(live));
        assertThat(listener.events).containsExactly(live);
        assertThat(relay.reqs()).hasSize(2);
    }

    @Test
    void publishWhileTheRelayIsDownIsDeliveredAfterRestart() throws Exception {
        ScriptedRelay relay = relay();
        relay.stop();
        RelayPool pool = pool(fastConfig(), relay);
        Event note = note("queued while down");

        CompletableFuture<PublishResult> future = pool.publish(note, Duration.ofSeconds(30));
        await().until(() -> health(pool, relay).errors() > 0);
        assertThat(future).isNotDone();
        assertThat(health(pool, relay).pendingPublishes()).isEqualTo(1);
        relay.start();

        PublishResult result = future.get(20, TimeUnit.SECONDS);
        assertThat(result.outcomes().get(relay.url())).isInstanceOf(PublishResult.Outcome.Accepted.class);
        assertThat(relay.stored()).containsExactly(note);
        assertThat(health(pool, relay).pendingPublishes()).isZero();
    }

    @Test
    void publishSentBeforeADropIsResentAfterReconnect() throws Exception {
        ScriptedRelay relay = relay();
        relay.withholdOk(true);
        RelayPool pool = pool(fastConfig(), relay);
        await().until(() -> health(pool, relay).connected());
        Event note = note("unanswered");
        CompletableFuture<PublishResult> future = pool.publish(note, Duration.ofSeconds(30));
        await().until(() -> relay.stored().contains(note));

        relay.withholdOk(false);
        relay.dropConnections();

        PublishResult result = future.get(20, TimeUnit.SECONDS);
        assertThat(result.outcomes().get(relay.url()))
                .isEqualTo(new PublishResult.Outcome.Accepted("duplicate: already have this event"));
    }

    @Test
    void slowListenerOverflowsItsOwnQueueWithoutHoldingBackOthers() throws Exception {
        ScriptedRelay first = relay();
        ScriptedRelay second = relay();
        RelayPool pool = pool(fastConfig(), first, second);
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener slow = new RecordingListener() {
            @Override
            public void onEvent(Event event, String relayUrl) {
                super.onEvent(event, relayUrl);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        RecordingListener fast = new RecordingListener();
        Subscription slowSub = pool.subscribe(List.of(Filter.builder().kinds(1).build()), slow, 4);
        pool.subscribe(List.of(Filter.builder().kinds(1).build()), fast, 1000); // room for the whole burst
        await().until(() -> fast.eose.size() == 2 && slow.eose.size() == 2);

        List<Event> burst = PoolTestSupport.notes(50);
        for (Event e : burst) {
            first.store(e);
            second.store(e);
        }

        await().until(() -> fast.events.size() == 50);
        assertThat(fast.events).containsExactlyInAnyOrderElementsOf(burst);
        await().until(() -> slowSub.overflowDrops() > 0);
        long perRelay = pool.health().stream().mapToLong(RelayHealth::overflowDrops).sum();
        assertThat(perRelay).isEqualTo(slowSub.overflowDrops());
        assertThat(pool.health()).allSatisfy(h -> assertThat(h.connected()).isTrue());
        release.countDown();
        // Once released, what had queued drains and the subscription takes new events again.
        Event later = note("after the jam");
        await().until(() -> slowSub.queuedEvents() == 0);
        first.store(later);
        await().until(() -> slow.events.contains(later));
        assertThat(slow.events.size()).isLessThan(51);
        assertThat(slow.events).doesNotHaveDuplicates();
    }

    @Test
    void authChallengeIsAnsweredAndRefusedRequestsAreSentAgain() throws Exception {
        ScriptedRelay relay = relay();
        relay.requireAuth(true);
        Event stored = note("members only");
        relay.store(stored);
        KeyPair keys = KeyPair.generate();
        RelayPool pool = pool(fastConfig().withAuthKeys(keys), relay);
        RecordingListener listener = new RecordingListener();

        pool.subscribe(List.of(Filter.builder().kinds(1).build()), listener);
        PublishResult result = pool.publish(note("after auth"), Duration.ofSeconds(10)).get();

        assertThat(result.outcomes().get(relay.url())).isInstanceOf(PublishResult.Outcome.Accepted.class);
        assertThat(relay.authenticatedPubkeys()).containsExactly(keys.publicKey());
        await().until(() -> listener.events.contains(stored));
        assertThat(listener.closed).isEmpty();
        assertThat(health(pool, relay).authenticated()).isTrue();
        assertThat(relay.received()).anySatisfy(m -> assertThat(m).isInstanceOfSatisfying(ClientMessage.Auth.class,
                a -> assertThat(a.event().kind()).isEqualTo(Nip42Auth.KIND)));
        assertThat(relay.reqs()).hasSize(2); // sent on open, refused with auth-required, sent again after AUTH
    }

    @Test
    void refusedAuthReleasesWhatWaitedForIt() throws Exception {
        ScriptedRelay relay = relay();
        relay.requireAuth(true);
        relay.refuseAuth(true);
        RelayPool pool = pool(fastConfig().withAuthKeys(KeyPair.generate()), relay);
        RecordingListener listener = new RecordingListener();
        pool.subscribe(List.of(Filter.builder().kinds(1).build()), listener);
        await().until(() -> health(pool, relay).errors() == 1); // the refused AUTH

        PublishResult result = pool.publish(note("members only"), Duration.ofSeconds(10)).get();

        assertThat(result.outcomes().get(relay.url()))
                .isEqualTo(new PublishResult.Outcome.Rejected("auth-required", "auth-required: publish after AUTH"));
        await().until(() -> listener.closed.containsKey(relay.url()));
        assertThat(listener.closed.get(relay.url())).startsWith("auth-required:");
        assertThat(health(pool, relay).authenticated()).isFalse();
    }
}
