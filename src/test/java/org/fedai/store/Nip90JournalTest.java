package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Nip90JournalTest {

    @TempDir
    Path dir;

    @Test
    void aRequestIsTakenOnceAndSurvivesReopeningUntilAnswered() {
        try (Nip90Journal journal = Nip90Journal.open(dir.resolve("g.db"))) {
            assertThat(journal.take(id("r1"), "{}", 10)).isTrue();
            assertThat(journal.take(id("r1"), "{}", 11)).isFalse();
            assertThat(journal.take(id("r2"), "{}", 12)).isTrue();
            journal.recordInvoice(id("r1"), JOB, "lnbcrt1", Msat.of(800), 13);
        }
        try (Nip90Journal journal = Nip90Journal.open(dir.resolve("g.db"))) {
            assertThat(journal.open()).extracting(Nip90Journal.Request::requestId).containsExactly(id("r2"), id("r1"));
            assertThat(journal.byJob(JOB)).hasValueSatisfying(r -> {
                assertThat(r.bolt11()).isEqualTo("lnbcrt1");
                assertThat(r.amount()).isEqualTo(Msat.of(800));
            });
            journal.finish(id("r1"), Nip90Journal.State.ANSWERED, "result-id", 14);
            journal.finish(id("r2"), Nip90Journal.State.FAILED, "bid_below_price", 15);
            assertThat(journal.open()).isEmpty();
            assertThat(journal.request(id("r2"))).hasValueSatisfying(r -> assertThat(r.detail()).isEqualTo("bid_below_price"));
            assertThatThrownBy(() -> journal.finish(id("r1"), Nip90Journal.State.OPEN, "", 16))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static final JobId JOB = JobId.of("ab".repeat(32));

    /** A request's event id named by a word: the word's sha256. */
    private static EventId id(String name) {
        return EventId.of(Hex.encode(Sha256.hash(name.getBytes(StandardCharsets.UTF_8))));
    }
}
