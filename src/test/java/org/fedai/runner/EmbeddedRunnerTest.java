package org.fedai.runner;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The real all-MiniLM-L6-v2 on ONNX Runtime: no stand-ins. */
class EmbeddedRunnerTest {

    private static final String MODEL = EmbeddedRunner.EMBEDDING_MODEL;
    private static EmbeddedRunner runner;

    @BeforeAll
    static void start() {
        runner = new EmbeddedRunner(EmbeddedRunner.Config.defaults().withCacheEntries(1_000));
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    private static List<Embedding> vectors(RunResult result) {
        assertThat(result).isInstanceOf(RunResult.Success.class);
        return ((RunOutput.Vectors) ((RunResult.Success) result).output()).vectors();
    }

    @Test
    void embedsTo384UnitVectors() {
        List<Embedding> v = vectors(runner.run(RunRequest.embed(MODEL, List.of("The cat sits on the mat.", "Lightning invoices"))));
        assertThat(v).hasSize(2);
        for (Embedding e : v) {
            assertThat(e.dimensions()).isEqualTo(384);
            assertThat(e.norm()).isCloseTo(1.0, within(1e-3));
        }
        assertThat(v.get(0)).isNotEqualTo(v.get(1));
    }

    @Test
    void paraphraseRanksCloserThanUnrelatedText() {
        List<Embedding> v = vectors(runner.run(RunRequest.embed(MODEL, List.of(
                "How do I reset my password?",
                "What are the steps to change my login password?",
                "The recipe calls for two cups of flour and an egg."))));
        double paraphrase = v.get(0).cosine(v.get(1));
        double unrelated = v.get(0).cosine(v.get(2));
        assertThat(paraphrase).isGreaterThan(unrelated + 0.3);
    }

    @Test
    void cacheHitReturnsSameVectorWithoutRecomputation() {
        String text = "A cached sentence about relays and routers " + System.nanoTime();
        Embedding first = vectors(runner.run(RunRequest.embed(MODEL, List.of(text)))).get(0);
        long encodedAfterFirst = runner.stats().encoded();
        long hitsAfterFirst = runner.stats().cacheHits();

        Embedding second = vectors(runner.run(RunRequest.embed(MODEL, List.of(text)))).get(0);

        assertThat(second).isEqualTo(first);
        assertThat(runner.stats().encoded()).isEqualTo(encodedAfterFirst);
        assertThat(runner.stats().cacheHits()).isEqualTo(hitsAfterFirst + 1);
    }

    @Test
    void batchWithSomeHitsComputesOnlyTheMissesAndKeepsOrder() {
        String known = "known text " + System.nanoTime();
        String fresh = "fresh text " + System.nanoTime();
        Embedding knownVector = vectors(runner.run(RunRequest.embed(MODEL, List.of(known)))).get(0);
        long before = runner.stats().encoded();

        List<Embedding> v = vectors(runner.run(RunRequest.embed(MODEL, List.of(fresh, known))));

        assertThat(runner.stats().encoded()).isEqualTo(before + 1);
        assertThat(v.get(1)).isEqualTo(knownVector);
        assertThat(v.get(0)).isNotEqualTo(knownVector);
    }

    @Test
    void usageCountsTexts() {
        var result = (RunResult.Success) runner.run(RunRequest.embed(MODEL, List.of("one", "two", "three")));
        assertThat(result.usage()).isEqualTo(Usage.of(Usage.Unit.TEXTS, 3, 3));
    }

    @Test
    void chunkingRespectsTheTokenBudget() {
        String text = "Relays carry every message of the mesh. ".repeat(60) + "Ünïcödé ✓ 日本語のテキスト。".repeat(20);
        var result = (RunResult.Success) runner.run(RunRequest.chunk("cl100k_base", text, 32, 8));
        List<String> chunks = ((RunOutput.Texts) result.output()).texts();
        TextChunker counter = TextChunker.forEncoding("cl100k_base").orElseThrow();
        assertThat(chunks).hasSizeGreaterThan(5);
        assertThat(chunks).allSatisfy(c -> assertThat(counter.countTokens(c)).isLessThanOrEqualTo(32));
        assertThat(String.join("", chunks)).doesNotContain("\uFFFD");
        assertThat(result.usage().unit()).isEqualTo(Usage.Unit.TOKENS);
        assertThat(result.usage().input()).isEqualTo(counter.countTokens(text));
    }

    @Test
    void rejectsWithTypedFailures() {
        assertThat(runner.run(RunRequest.embed("no-such-model", List.of("x"))))
                .isEqualTo(RunResult.failure(FailureReason.UNKNOWN_MODEL, "no embedding model no-such-model"));
        assertThat(failure(runner.run(RunRequest.embed(MODEL, List.of("bell \u0007 here")))))
                .isEqualTo(FailureReason.CONTROL_CHARACTERS);
        assertThat(failure(runner.run(RunRequest.complete(MODEL, "hello", RunParams.DEFAULTS))))
                .isEqualTo(FailureReason.UNSUPPORTED_TASK);
        assertThat(failure(runner.run(RunRequest.chunk("cl100k_base", "text", 4, 0))))
                .isEqualTo(FailureReason.INVALID_INPUT);
        assertThat(failure(runner.run(RunRequest.chunk("gpt2-ish", "text", 64, 0))))
                .isEqualTo(FailureReason.UNKNOWN_MODEL);
    }

    @Test
    void policyLimitsBatchAndSize() {
        try (EmbeddedRunner strict = new EmbeddedRunner(EmbeddedRunner.Config.defaults()
                .withPolicy(new InputPolicy(16, 32, 2)))) {
            assertThat(failure(strict.run(RunRequest.embed(MODEL, List.of("a", "b", "c")))))
                    .isEqualTo(FailureReason.BATCH_TOO_LARGE);
            assertThat(failure(strict.run(RunRequest.embed(MODEL, List.of("seventeen bytes!!")))))
                    .isEqualTo(FailureReason.INPUT_TOO_LARGE);
            assertThat(strict.stats().encoded()).isZero();
        }
    }

    @Test
    void describesWhatItServes() {
        assertThat(runner.serves(MODEL, TaskType.EMBEDDING)).isTrue();
        assertThat(runner.serves("cl100k_base", TaskType.CHUNK)).isTrue();
        assertThat(runner.serves(MODEL, TaskType.TEXT_GENERATION)).isFalse();
    }

    private static FailureReason failure(RunResult r) {
        assertThat(r).isInstanceOf(RunResult.Failure.class);
        return ((RunResult.Failure) r).reason();
    }
}
