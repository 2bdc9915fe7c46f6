package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fedai.domain.PaymentTiming;

/** What a client sends is what a restarted node runs: any input text and parameter survives the journal. */
class NodeJobJournalProperties {

    private static final String JOB = "aa".repeat(32);
    private static final NodeJob.Terms TERMS = new NodeJob.Terms("q1", "router", "client", "model", "embedding",
            "cc".repeat(32), 2, 2000, PaymentTiming.BEFORE, 100, 200, 150);

    @Provide
    Arbitrary<String> text() {
        // JSON's awkward characters, lone surrogates (a JSON "\ud800" escape decodes to one), emoji, controls
        Arbitrary<String> awkward = Arbitraries.of("\"", "\\", "\u0000", "\u001f", "\u2028", "\ud800", "\udfff",
                "\ud83d\ude00", "\uffff", "'", "%", "\n");
        return Arbitraries.oneOf(awkward, Arbitraries.strings().all().ofMaxLength(6)).list().ofMaxSize(8)
                .map(l -> String.join("", l));
    }

    @Property(tries = 300)
    void inputTextsAndParamsReadBackUnchanged(@ForAll("text") String a, @ForAll("text") String b,
            @ForAll("text") String key, @ForAll("text") String value) {
        NodeJob.Input input = new NodeJob.Input("i1", List.of(a, b), Map.of(key, value));
        try (NodeJobJournal journal = NodeJobJournal.inMemory()) {
            journal.insertQuoted(JOB, TERMS, new NodeJobJournal.ProcessedEvent("q1", 4401, JOB, 1), 1);
            journal.recordInput(JOB, input, new NodeJobJournal.ProcessedEvent("i1", 4400, JOB, 2), 2,
                    List.of());
            assertThat(journal.job(JOB).orElseThrow().input()).contains(input);
        }
    }
}
