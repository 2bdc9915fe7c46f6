package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.nostr.relay.TestEvents.signed;

import java.nio.file.Path;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RelayTest
class RelayRestartTest {

    @TempDir
    Path dir;

    @Test
    void sqliteBackedRelayServesItsEventsAfterARestart() throws Exception {
        Path db = dir.resolve("relay.db");
        KeyPair alice = KeyPair.generate();
        long now = System.currentTimeMillis() / 1000;
        Event note = signed(alice, 1, now, "persisted");
        Event manifest = signed(alice, 31400, now, "{}", "d", "node-1");
        try (EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults(), SqliteEventStore.open(db)).start()) {
            RelayTestClient c = RelayTestClient.connect(relay.url());
            assertThat(c.publish(note).accepted()).isTrue();
            assertThat(c.publish(manifest).accepted()).isTrue();
            c.closeBlocking();
        }
        try (EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults(), SqliteEventStore.open(db)).start()) {
            RelayTestClient c = RelayTestClient.connect(relay.url());
            assertThat(c.query("all", Filter.builder().authors(alice.publicKey()).build()))
                    .containsExactlyInAnyOrder(note, manifest);
            assertThat(c.publish(note).message()).startsWith("duplicate:");
            c.closeBlocking();
        }
    }
}
