package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.nostr.relay.TestEvents.ids;
import static org.fedai.nostr.relay.TestEvents.signed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.fedai.nostr.ClientMessage;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.RelayMessage;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** NIP-01/09/40 behaviour over real websockets on loopback, against both stores. */
@RelayTest
class EmbeddedRelayTest {

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(1_800_000_000L);
    final KeyPair alice = KeyPair.generate();
    final KeyPair bob = KeyPair.generate();
    final List<AutoCloseable> open = new ArrayList<>();

    static Stream<Named<Function<Path, EventStore>>> stores() {
        return EventStoreTest.stores();
    }

    EmbeddedRelay relay(Function<Path, EventStore> store) throws Exception {
        EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults().withClock(clock), store.apply(dir)).start();
        open.add(relay);
        return relay;
    }

    RelayTestClient client(EmbeddedRelay relay) throws InterruptedException {
        RelayTestClient c = RelayTestClient.connect(relay.url());
        open.add(0, c::closeBlocking);
        return c;
    }

    long now() {
        return clock.now();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void bindsLoopbackOnAnEphemeralPortAndReportsItsUrl() throws Exception {
        EmbeddedRelay relay = relay(d -> new InMemoryEventStore());
        assertThat(relay.port()).isPositive();
        assertThat(relay.url()).isEqualTo("ws://127.0.0.1:" + relay.port());
        client(relay);
        await().atMost(RelayTestClient.WAIT).until(() -> relay.stats().connectionsOpen() == 1);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void storesAnEventAndServesItThenEose(Function<Path, EventStore> store) throws Exception {
        EmbeddedRelay relay = relay(store);
        RelayTestClient c = client(relay);
        Event note = signed(alice, 1, now(), "hello", "t", "fedai");

        RelayMessage.Ok ok = c.publish(note);
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.message()).isEmpty();
        assertThat(c.query("s1", Filter.builder().tag('t', "fedai").build())).containsExactly(note);
        assertThat(relay.stats().accepted()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void limitGivesTheNewestFirstAcrossAllFiltersOfTheReq(Function<Path, EventStore> store) throws Exception {
        RelayTestClient c = client(relay(store));
        List<Event> notes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Event e = signed(i % 2 == 0 ? alice : bob, 1, now() - 100 + i, "n" + i);
            notes.add(e);
            c.publish(e);
        }
        List<Event> got = c.query("s", Filter.builder().authors(alice.publicKey()).limit(2).build(),
                Filter.builder().authors(bob.publicKey()).limit(1).build());
        // alice's two newest (n4, n2), bob's newest (n5), merged newest first.
        assertThat(got).containsExactly(notes.get(5), notes.get(4), notes.get(2));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void liveEventsFollowEoseAndCloseStopsThem(Function<Path, EventStore> store) throws Exception {
        EmbeddedRelay relay = relay(store);
        RelayTestClient reader = client(relay);
        RelayTestClient writer = client(relay);
        assertThat(reader.query("live", Filter.builder().kinds(1).build())).isEmpty();

        Event first = signed(alice, 1, now(), "first");
        writer.publish(first);
        await().atMost(RelayTestClient.WAIT).until(() -> reader.eventsFor("live").contains(first));

        reader.sendMessage(new ClientMessage.Close("live"));
        reader.query("sync", Filter.builder().kinds(9).build()); // the relay has handled the CLOSE once this ends
        writer.publish(signed(alice, 1, now(), "second"));
        // The writer's messages are handled in order, so once the reader sees the barrier event, the second
        // event's broadcast is over.
        Event barrier = signed(alice, 9, now(), "barrier");
        writer.publish(barrier);
        await().atMost(RelayTestClient.WAIT).until(() -> reader.eventsFor("sync").contains(barrier));
        assertThat(reader.eventsFor("live")).containsExactly(first);
    }

    @Test
    void reusedSubscriptionIdReplacesTheOldFilters() throws Exception {
        EmbeddedRelay relay = relay(d -> new InMemoryEventStore());
        RelayTestClient reader = client(relay);
        RelayTestClient writer = client(relay);
        reader.query("sub", Filter.builder().kinds(1).build());
        reader.query("sub", Filter.builder().kinds(7).build());

        writer.publish(signed(alice, 1, now(), "kind 1: old filter"));
        Event reaction = signed(alice, 7, now(), "+");
        writer.publish(reaction);
        await().atMost(RelayTestClient.WAIT).until(() -> reader.eventsFor("sub").contains(reaction));
        assertThat(reader.eventsFor("sub")).containsExactly(reaction);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void replaceableAndAddressableEventsKeepOnlyTheNewest(Function<Path, EventStore> store) throws Exception {
        RelayTestClient c = client(relay(store));
        Event p1 = signed(alice, 0, now() - 10, "{\"name\":\"a\"}");
        Event p2 = signed(alice, 0, now() - 5, "{\"name\":\"b\"}");
        c.publish(p1);
        c.publish(p2);
        RelayMessage.Ok stale = c.publish(signed(alice, 0, now() - 20, "{\"name\":\"stale\"}"));
        assertThat(stale.prefix()).isEqualTo("duplicate");

        Event m1 = signed(alice, 31400, now() - 10, "m1", "d", "node");
        Event m2 = signed(alice, 31400, now() - 5, "m2", "d", "node");
        Event other = signed(alice, 31400, now() - 10, "other", "d", "node-2");
        c.publish(m1);
        c.publish(m2);
        c.publish(other);

        assertThat(c.query("p", Filter.builder().authors(alice.publicKey()).kinds(0).build())).containsExactly(p2);
        assertThat(c.query("m", Filter.builder().kinds(31400).build())).containsExactly(m2, other);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void ephemeralEventsAreBroadcastButNeverStored(Function<Path, EventStore> store) throws Exception {
        EmbeddedRelay relay = relay(store);
        RelayTestClient reader = client(relay);
        RelayTestClient writer = client(relay);
        reader.query("beats", Filter.builder().kinds(24400).build());

        Event beat = signed(alice, 24400, now(), "alive");
        assertThat(writer.publish(beat).accepted()).isTrue();
        await().atMost(RelayTestClient.WAIT).until(() -> reader.eventsFor("beats").contains(beat));
        assertThat(writer.query("later", Filter.builder().kinds(24400).build())).isEmpty();
        assertThat(relay.store().size()).isZero();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void deletionRemovesTheAuthorsEventsAndBlocksThemComingBack(Function<Path, EventStore> store) throws Exception {
        RelayTestClient c = client(relay(store));
        Event mine = signed(alice, 1, now() - 10, "mine");
        Event theirs = signed(bob, 1, now() - 10, "theirs");
        Event manifest = signed(alice, 31400, now() - 10, "m", "d", "node");
        c.publish(mine);
        c.publish(theirs);
        c.publish(manifest);

        Event deletion = signed(alice, 5, now(), "", "e", mine.id(), "e", theirs.id(), "a",
                "31400:" + alice.publicKey() + ":node");
        assertThat(c.publish(deletion).accepted()).isTrue();

        assertThat(c.query("all", Filter.builder().kinds(1, 31400).build())).containsExactly(theirs);
        assertThat(c.query("del", Filter.builder().kinds(5).build())).containsExactly(deletion);
        RelayMessage.Ok again = c.publish(mine);
        assertThat(again.accepted()).isFalse();
        assertThat(again.message()).isEqualTo("blocked: deleted");
        assertThat(c.publish(manifest).message()).isEqualTo("blocked: deleted");
    }

    @Test
    void aRetentionSettingPurgesOldRegularEventsOnTheSweepAndKeepsTheRest() throws Exception {
        EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults().withClock(clock)
                .withRetention(RelayRetention.parse(List.of("regular=1"))), new InMemoryEventStore()).start();
        open.add(relay);
        RelayTestClient c = client(relay);
        Event status = signed(alice, 4405, now(), "done");
        Event manifest = signed(alice, 31400, now(), "manifest", "d", "n1");
        assertThat(c.publish(status).accepted()).isTrue();
        assertThat(c.publish(manifest).accepted()).isTrue();
        assertThat(relay.sweepExpired()).isZero();

        clock.advance(86_400 + 1);
        assertThat(relay.sweepExpired()).isEqualTo(1);
        assertThat(relay.store().size()).isEqualTo(1);
        assertThat(c.query("left", Filter.builder().build())).containsExactly(manifest);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void expiredEventsAreRefusedAndStopBeingServedWhenTheyExpire(Function<Path, EventStore> store) throws Exception {
        EmbeddedRelay relay = relay(store);
        RelayTestClient c = client(relay);
        RelayMessage.Ok refused = c.publish(signed(alice, 1, now() - 60, "late", "expiration",
                String.valueOf(now() - 1)));
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.message()).isEqualTo("invalid: event has expired");
        assertThat(relay.stats().rejected(RejectReason.EXPIRED)).isEqualTo(1);

        Event shortLived = signed(alice, 4400, now(), "job", "expiration", String.valueOf(now() + 30));
        assertThat(c.publish(shortLived).accepted()).isTrue();
        assertThat(c.query("before", Filter.builder().kinds(4400).build())).containsExactly(shortLived);

        clock.advance(30);
        assertThat(c.query("after", Filter.builder().kinds(4400).build())).isEmpty();
        assertThat(relay.store().size()).isEqualTo(1);
        assertThat(relay.sweepExpired()).isEqualTo(1);
        assertThat(relay.store().size()).isZero();
    }

    @Test
    void theSweepRunsOnItsOwn() throws Exception {
        EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults().withClock(clock)
                .withSweepInterval(java.time.Duration.ofMillis(50)), new InMemoryEventStore()).start();
        open.add(relay);
        RelayTestClient c = client(relay);
        c.publish(signed(alice, 1, now(), "x", "expiration", String.valueOf(now() + 5)));
        assertThat(relay.store().size()).isEqualTo(1);
        clock.advance(5);
        await().atMost(RelayTestClient.WAIT).until(() -> relay.store().size() == 0);
        assertThat(relay.stats().expiredPurged()).isEqualTo(1);
    }

    @Test
    void forgedSignatureIsInvalid() throws Exception {
        EmbeddedRelay relay = relay(d -> new InMemoryEventStore());
        RelayTestClient c = client(relay);
        Event real = signed(alice, 1, now(), "real");
        Event forged = new Event(real.id(), real.pubkey(), real.createdAt(), real.kind(), real.tags(), real.content(),
                signed(bob, 1, now(), "real").sig());
        RelayMessage.Ok ok = c.publish(forged);
        assertThat(ok.accepted()).isFalse();
        assertThat(ok.message()).startsWith("invalid: ").contains("signature");

        Event tampered = new Event(real.id(), real.pubkey(), real.createdAt(), real.kind(), real.tags(), "edited",
                real.sig());
        assertThat(c.publish(tampered).message()).startsWith("invalid: ").contains("id");
        assertThat(relay.stats().rejected(RejectReason.BAD_ID_OR_SIGNATURE)).isEqualTo(2);
        assertThat(relay.store().size()).isZero();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void duplicateIsAcknowledgedAsDuplicate(Function<Path, EventStore> store) throws Exception {
        EmbeddedRelay relay = relay(store);
        RelayTestClient c = client(relay);
        Event note = signed(alice, 1, now(), "once");
        c.publish(note);
        RelayMessage.Ok again = c.publish(note);
        assertThat(again.accepted()).isTrue();
        assertThat(again.message()).startsWith("duplicate:");
        assertThat(relay.stats().rejected(RejectReason.DUPLICATE)).isEqualTo(1);
    }

    @Test
    void badJsonGetsANoticeAndTheConnectionSurvives() throws Exception {
        EmbeddedRelay relay = relay(d -> new InMemoryEventStore());
        RelayTestClient c = client(relay);
        int mark = c.received.size();
        c.send("this is not json");
        RelayMessage.Notice notice = c.awaitFrom(mark, RelayMessage.Notice.class, n -> true);
        assertThat(notice.message()).startsWith("invalid: ");

        c.send("[\"WHAT\",1]");
        c.awaitFrom(mark, RelayMessage.Notice.class, n -> n.message().contains("unknown message type"));

        Event note = signed(alice, 1, now(), "still here");
        assertThat(c.publish(note).accepted()).isTrue();
        assertThat(c.isOpen()).isTrue();
        assertThat(relay.stats().rejected(RejectReason.MALFORMED)).isEqualTo(2);
    }

    @Test
    void malformedReqIsClosedAndMalformedEventGetsOk() throws Exception {
        RelayTestClient c = client(relay(d -> new InMemoryEventStore()));
        int mark = c.received.size();
        c.send("[\"REQ\",\"bad\",{\"kinds\":\"one\"}]");
        RelayMessage.Closed closed = c.awaitFrom(mark, RelayMessage.Closed.class, x -> x.subscriptionId().equals("bad"));
        assertThat(closed.message()).startsWith("invalid: ").contains("kinds");

        c.send("[\"EVENT\",{\"id\":\"abc\",\"kind\":\"x\"}]");
        RelayMessage.Ok ok = c.awaitFrom(mark, RelayMessage.Ok.class, x -> x.eventId().equals("abc"));
        assertThat(ok.accepted()).isFalse();
        assertThat(ok.prefix()).isEqualTo("invalid");
    }

    @Test
    void aFailingStoreIsAnsweredWithErrorAndTheRelayCarriesOn() throws Exception {
        EmbeddedRelay relay = relay(d -> SqliteEventStore.open(d.resolve("broken.db")));
        RelayTestClient c = client(relay);
        relay.store().close(); // the database goes away under the running relay

        RelayMessage.Ok ok = c.publish(signed(alice, 1, now(), "nowhere to go"));
        assertThat(ok.accepted()).isFalse();
        assertThat(ok.prefix()).isEqualTo("error");
        assertThat(c.refusedQuery("q", Filter.builder().build()).message()).startsWith("error: ");
        assertThat(relay.stats().rejected(RejectReason.STORE_ERROR)).isEqualTo(2);

        Event beat = signed(alice, 24400, now(), "ephemeral needs no store");
        assertThat(c.publish(beat).accepted()).isTrue();
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void closingTheRelayDisconnectsClients() throws Exception {
        EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults(), new InMemoryEventStore()).start();
        RelayTestClient c = RelayTestClient.connect(relay.url());
        relay.close();
        await().atMost(RelayTestClient.WAIT).until(() -> c.closeCode != null);
    }
}
