package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.nostr.relay.TestEvents.signed;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.relay.EventStore.SaveOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteEventStoreTest {

    static final long T = 1_700_000_000L;

    @TempDir
    Path dir;

    @Test
    void eventsAndDeletionsSurviveReopening() {
        KeyPair alice = KeyPair.generate();
        Path file = dir.resolve("relay.db");
        Event kept = signed(alice, 1, T, "kept", "t", "fedai");
        Event deleted = signed(alice, 1, T, "deleted");
        Event profile = signed(alice, 0, T, "{}");
        try (EventStore store = SqliteEventStore.open(file)) {
            store.save(kept);
            store.save(deleted);
            store.save(profile);
            store.delete(Nip09Deletion.targets(signed(alice, 5, T + 1, "", "e", deleted.id())));
        }
        try (EventStore reopened = SqliteEventStore.open(file)) {
            assertThat(reopened.query(Filter.builder().build(), T + 10, 10)).containsExactlyInAnyOrder(kept, profile);
            assertThat(reopened.query(Filter.builder().tag('t', "fedai").build(), T + 10, 10)).containsExactly(kept);
            assertThat(reopened.save(deleted)).isEqualTo(SaveOutcome.DELETED);
            assertThat(reopened.save(signed(alice, 0, T - 1, "older profile")))
                    .isEqualTo(SaveOutcome.NEWER_VERSION_STORED);
        }
    }

    @Test
    void databaseIsInWalModeWithATagsTable() throws Exception {
        Path file = dir.resolve("wal.db");
        KeyPair alice = KeyPair.generate();
        try (EventStore store = SqliteEventStore.open(file)) {
            store.save(signed(alice, 1, T, "x", "p", alice.publicKey(), "alt", "long names are not indexed"));
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet mode = db.createStatement().executeQuery("PRAGMA journal_mode");
                ResultSet tags = db.createStatement().executeQuery("SELECT name, value FROM tags")) {
            assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
            assertThat(tags.next()).isTrue();
            assertThat(tags.getString(1)).isEqualTo("p");
            assertThat(tags.next()).isFalse();
        }
    }
}
