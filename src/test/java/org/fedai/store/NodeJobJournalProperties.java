package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;

/** What a client sends is what a restarted node runs: any input text and parameter survives the journal. */
class NodeJobJournalProperties {

    private static final JobId JOB = JobId.of("aa".repeat(32));
    private static final NodeJob.Terms TERMS = new NodeJob.Terms(id("q1"), key("router"), key("client"), "model", "embedding",
            "cc".repeat(32), 2, Msat.of(2000), PaymentTiming.BEFORE, 100, 200, 150, false);

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
        NodeJob.Input input = new NodeJob.Input(id("i1"), List.of(a, b), Map.of(key, value));
        try (NodeJobJournal journal = NodeJobJournal.inMemory()) {
            journal.insertQuoted(JOB, TERMS, new NodeJobJournal.ProcessedEvent(id("q1"), 4401, JOB, 1), 1);
            journal.recordInput(JOB, input, new NodeJobJournal.ProcessedEvent(id("i1"), 4400, JOB, 2), 2,
                    List.of());
            assertThat(journal.job(JOB).orElseThrow().input()).contains(input);
        }
    }

    /** An event id named by a word: the word's sha256, as the journal needs real ids. */
    private static EventId id(String name) {
        return EventId.of(org.fedai.nostr.Hex.encode(org.fedai.nostr.Sha256.hash(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    private static PublicKey key(String name) {
        return PublicKey.of(id(name).hex());
    }
}
