package org.fedai.store;

import org.fedai.domain.EventId;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlJournalTest {

    @TempDir
    Path dir;

    @Test
    void anEmptyJournalKnowsNoRound() {
        try (FlJournal j = FlJournal.inMemory()) {
            assertThat(j.phase("t", 1)).isEmpty();
            assertThat(j.lastRoundIn("t", "done")).isZero();
            assertThat(j.blob("t", 1, "global")).isEmpty();
            assertThat(j.outbox("t", 1)).isEmpty();
        }
    }

    @Test
    void phasesBlobsAndSignedEventsSurviveReopening() {
        Path file = dir.resolve("fl.db");
        try (FlJournal j = FlJournal.open(file)) {
            j.phase("t", 1, "rostered");
            j.phase("t", 1, "done");
            j.phase("t", 2, "rostered");
            j.phase("other", 5, "done");
            j.putBlob("t", 1, "global", new byte[] {1, 2, 3});
            j.outbox("t", 2, EventId.of("bb".repeat(32)), "{\"id\":\"b\"}");
            j.outbox("t", 2, EventId.of("aa".repeat(32)), "{\"id\":\"a\"}");
            j.outbox("t", 2, EventId.of("bb".repeat(32)), "{\"id\":\"b\"}"); // recorded once: a republish must send the same event once
        }
        try (FlJournal j = FlJournal.open(file)) {
            assertThat(j.phase("t", 1)).contains("done");
            assertThat(j.lastRoundIn("t", "done")).isEqualTo(1);
            assertThat(j.lastRoundIn("t", "rostered")).isEqualTo(2);
            assertThat(j.blob("t", 1, "global")).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
            assertThat(j.outbox("t", 2)).containsExactly("{\"id\":\"b\"}", "{\"id\":\"a\"}");
            assertThat(j.outbox("t", 1)).isEmpty();
        }
    }
}
