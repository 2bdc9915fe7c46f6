package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedai.nostr.relay.TestEvents.ids;
import static org.fedai.nostr.relay.TestEvents.signed;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.relay.EventStore.SaveOutcome;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The storage rules, run against both stores. */
class EventStoreTest {

    static final long T = 1_700_000_000L;
    static final long NOW = T + 1_000;

    @TempDir
    Path dir;

    final KeyPair alice = KeyPair.generate();
    final KeyPair bob = KeyPair.generate();

    static Stream<Named<Function<Path, EventStore>>> stores() {
        return Stream.of(Named.of("in-memory", d -> new InMemoryEventStore()),
                Named.of("sqlite", d -> SqliteEventStore.open(d.resolve("events.db"))));
    }

    private static List<Event> all(EventStore store) {
        return store.query(Filter.builder().build(), NOW, 1000);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void storesAndQueriesByEachFilterField(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event a = signed(alice, 1, T, "a", "t", "fedai", "p", bob.publicKey());
            Event b = signed(bob, 7, T + 1, "b", "t", "other");
            assertThat(store.save(a)).isEqualTo(SaveOutcome.STORED);
            assertThat(store.save(b)).isEqualTo(SaveOutcome.STORED);

            assertThat(store.query(Filter.builder().ids(a.id()).build(), NOW, 10)).containsExactly(a);
            assertThat(store.query(Filter.builder().authors(bob.publicKey()).build(), NOW, 10)).containsExactly(b);
            assertThat(store.query(Filter.builder().kinds(1).build(), NOW, 10)).containsExactly(a);
            assertThat(store.query(Filter.builder().tag('t', "fedai", "x").build(), NOW, 10)).containsExactly(a);
            assertThat(store.query(Filter.builder().tag('p', bob.publicKey()).kinds(1).build(), NOW, 10))
                    .containsExactly(a);
            assertThat(store.query(Filter.builder().tag('t', "nope").build(), NOW, 10)).isEmpty();
            assertThat(store.query(Filter.builder().since(T + 1).build(), NOW, 10)).containsExactly(b);
            assertThat(store.query(Filter.builder().until(T).build(), NOW, 10)).containsExactly(a);
            assertThat(store.size()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void duplicateIdIsReportedNotStoredTwice(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event a = signed(alice, 1, T, "a");
            store.save(a);
            assertThat(store.save(a)).isEqualTo(SaveOutcome.DUPLICATE);
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void queriesAreNewestFirstAndLimited(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            for (int i = 0; i < 10; i++) {
                store.save(signed(alice, 1, T + (i * 7 % 10), "n" + i));
            }
            List<Event> three = store.query(Filter.builder().build(), NOW, 3);
            assertThat(three).extracting(Event::createdAt).containsExactly(T + 9, T + 8, T + 7);
            assertThat(store.query(Filter.builder().build(), NOW, 0)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void replaceableKeepsNewestPerPubkeyAndKind(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event old = signed(alice, 0, T, "old");
            Event newer = signed(alice, 0, T + 5, "new");
            Event bobs = signed(bob, 0, T, "bob");
            Event list = signed(alice, 10002, T, "relays");
            assertThat(store.save(old)).isEqualTo(SaveOutcome.STORED);
            assertThat(store.save(newer)).isEqualTo(SaveOutcome.STORED);
            assertThat(store.save(old)).isEqualTo(SaveOutcome.NEWER_VERSION_STORED);
            assertThat(store.save(bobs)).isEqualTo(SaveOutcome.STORED);
            assertThat(store.save(list)).isEqualTo(SaveOutcome.STORED);
            assertThat(all(store)).containsExactlyInAnyOrder(newer, bobs, list);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void replaceableTieOnCreatedAtKeepsLowestId(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event x = signed(alice, 3, T, "x");
            Event y = signed(alice, 3, T, "y");
            Event low = x.id().compareTo(y.id()) < 0 ? x : y;
            Event high = low == x ? y : x;
            assertThat(store.save(high)).isEqualTo(SaveOutcome.STORED);
            assertThat(store.save(low)).isEqualTo(SaveOutcome.STORED);
            assertThat(store.save(high)).isEqualTo(SaveOutcome.NEWER_VERSION_STORED);
            assertThat(all(store)).containsExactly(low);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void addressableKeepsNewestPerDTag(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event a1 = signed(alice, 31400, T, "a1", "d", "node-a");
            Event a2 = signed(alice, 31400, T + 1, "a2", "d", "node-a");
            Event b1 = signed(alice, 31400, T, "b1", "d", "node-b");
            Event noD = signed(alice, 31400, T, "no d");
            Event emptyD = signed(alice, 31400, T + 2, "empty d", "d", "");
            for (Event e : List.of(a1, a2, b1, noD, emptyD)) {
                store.save(e);
            }
            // A missing d tag and an empty one name the same address.
            assertThat(all(store)).containsExactlyInAnyOrder(a2, b1, emptyD);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void ephemeralEventsAreRefusedByTheStore(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            assertThatThrownBy(() -> store.save(signed(alice, 24400, T, "beat")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void deletionByIdRemovesOnlyTheAuthorsEventsAndBlocksResubmission(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event mine = signed(alice, 1, T, "mine");
            Event theirs = signed(bob, 1, T, "theirs");
            store.save(mine);
            store.save(theirs);
            Event deletion = signed(alice, 5, T + 1, "", "e", mine.id(), "e", theirs.id());
            int removed = store.delete(Nip09Deletion.targets(deletion));

            assertThat(removed).isEqualTo(1);
            assertThat(all(store)).containsExactly(theirs);
            assertThat(store.save(mine)).isEqualTo(SaveOutcome.DELETED);
            assertThat(store.save(theirs)).isEqualTo(SaveOutcome.DUPLICATE);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void deletingADeletionHasNoEffect(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event first = signed(alice, 5, T, "", "e", signed(alice, 1, T, "x").id());
            store.save(first);
            assertThat(store.delete(Nip09Deletion.targets(signed(alice, 5, T + 1, "", "e", first.id())))).isZero();
            assertThat(all(store)).containsExactly(first);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void deletionOfAnUnseenIdBlocksItWhenItArrivesFromTheSameAuthor(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event later = signed(alice, 1, T, "arrives after its deletion");
            store.delete(Nip09Deletion.targets(signed(alice, 5, T + 1, "", "e", later.id())));
            assertThat(store.save(later)).isEqualTo(SaveOutcome.DELETED);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void deletionByAddressRemovesVersionsUpToItsCreatedAt(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event v1 = signed(alice, 31400, T, "v1", "d", "n");
            store.save(v1);
            Event deletion = signed(alice, 5, T + 10, "", "a", "31400:" + alice.publicKey() + ":n");
            assertThat(store.delete(Nip09Deletion.targets(deletion))).isEqualTo(1);
            assertThat(all(store)).isEmpty();

            assertThat(store.save(signed(alice, 31400, T + 5, "older than deletion", "d", "n")))
                    .isEqualTo(SaveOutcome.DELETED);
            Event v3 = signed(alice, 31400, T + 11, "after deletion", "d", "n");
            assertThat(store.save(v3)).isEqualTo(SaveOutcome.STORED);
            assertThat(all(store)).containsExactly(v3);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void deletionByAddressOfAnotherAuthorIsIgnored(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event bobs = signed(bob, 31400, T, "bob's", "d", "n");
            store.save(bobs);
            Event deletion = signed(alice, 5, T + 10, "", "a", "31400:" + bob.publicKey() + ":n");
            assertThat(store.delete(Nip09Deletion.targets(deletion))).isZero();
            assertThat(all(store)).containsExactly(bobs);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void expiredEventsAreNotServedAndArePurged(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event expiring = signed(alice, 1, T, "soon gone", "expiration", String.valueOf(NOW + 10));
            Event lasting = signed(alice, 1, T, "stays");
            store.save(expiring);
            store.save(lasting);
            assertThat(store.query(Filter.builder().build(), NOW, 10)).containsExactlyInAnyOrder(expiring, lasting);
            assertThat(store.query(Filter.builder().build(), NOW + 10, 10)).containsExactly(lasting);
            assertThat(store.size()).isEqualTo(2);

            assertThat(store.purgeExpired(NOW + 9)).isZero();
            assertThat(store.purgeExpired(NOW + 10)).isEqualTo(1);
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void retentionPurgesOnlyTheNamedClassAndOnlyWhatIsOlder(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            Event oldRegular = signed(alice, 4405, T, "old status");
            Event newRegular = signed(alice, 4405, T + 1000, "new status");
            Event oldManifest = signed(alice, 31400, T, "manifest", "d", "node-1");
            Event oldProfile = signed(alice, 0, T, "{}");
            List.of(oldRegular, newRegular, oldManifest, oldProfile).forEach(store::save);

            assertThat(store.purgeOlderThan(org.fedai.nostr.EventKindClass.REGULAR, T + 500)).isEqualTo(1);
            assertThat(store.query(Filter.builder().build(), NOW, 10))
                    .containsExactlyInAnyOrder(newRegular, oldManifest, oldProfile);
            assertThat(store.purgeOlderThan(org.fedai.nostr.EventKindClass.ADDRESSABLE, T + 500)).isEqualTo(1);
            assertThat(store.purgeOlderThan(org.fedai.nostr.EventKindClass.REPLACEABLE, T + 500)).isEqualTo(1);
            assertThat(store.query(Filter.builder().build(), NOW, 10)).containsExactly(newRegular);
            // an address purged is free again: a newer manifest is stored
            assertThat(store.save(signed(alice, 31400, T + 2000, "manifest 2", "d", "node-1")))
                    .isEqualTo(EventStore.SaveOutcome.STORED);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void tagValuesThatLookLikeSqlAreJustValues(Function<Path, EventStore> factory) {
        try (EventStore store = factory.apply(dir)) {
            String nasty = "x') OR 1=1; DROP TABLE events; --";
            Event a = signed(alice, 1, T, "a", "t", nasty);
            store.save(a);
            store.save(signed(alice, 1, T, "b", "t", "plain"));
            assertThat(store.query(Filter.builder().tag('t', nasty).build(), NOW, 10)).containsExactly(a);
            assertThat(store.query(Filter.builder().tag('t', "x").build(), NOW, 10)).isEmpty();
            assertThat(store.size()).isEqualTo(2);
        }
    }
}
