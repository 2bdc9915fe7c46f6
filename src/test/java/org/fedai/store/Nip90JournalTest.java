package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Nip90JournalTest {

    @TempDir
    Path dir;

    @Test
    void aRequestIsTakenOnceAndSurvivesReopeningUntilAnswered() {
        try (Nip90Journal journal = Nip90Journal.open(dir.resolve("g.db"))) {
            assertThat(journal.take("r1", "{}", 10)).isTrue();
            assertThat(journal.take("r1", "{}", 11)).isFalse();
            assertThat(journal.take("r2", "{}", 12)).isTrue();
            journal.recordInvoice("r1", "job1", "lnbcrt1", 800, 13);
        }
        try (Nip90Journal journal = Nip90Journal.open(dir.resolve("g.db"))) {
            assertThat(journal.open()).extracting(Nip90Journal.Request::requestId).containsExactly("r2", "r1");
            assertThat(journal.byJob("job1")).hasValueSatisfying(r -> {
                assertThat(r.bolt11()).isEqualTo("lnbcrt1");
                assertThat(r.amountMsat()).isEqualTo(800);
            });
            journal.finish("r1", Nip90Journal.State.ANSWERED, "result-id", 14);
            journal.finish("r2", Nip90Journal.State.FAILED, "bid_below_price", 15);
            assertThat(journal.open()).isEmpty();
            assertThat(journal.request("r2")).hasValueSatisfying(r -> assertThat(r.detail()).isEqualTo("bid_below_price"));
            assertThatThrownBy(() -> journal.finish("r1", Nip90Journal.State.OPEN, "", 16))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
