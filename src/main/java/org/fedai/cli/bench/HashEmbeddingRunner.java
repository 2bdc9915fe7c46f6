package org.fedai.cli.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedai.nostr.Sha256;
import org.fedai.runner.Embedding;
import org.fedai.runner.FailureReason;
import org.fedai.runner.RunInput;
import org.fedai.runner.RunOutput;
import org.fedai.runner.RunRequest;
import org.fedai.runner.RunResult;
import org.fedai.runner.Runner;
import org.fedai.runner.RunnerDescription;
import org.fedai.runner.StreamSink;
import org.fedai.runner.TaskType;
import org.fedai.runner.Usage;

/**
 * A simulated node's runner for the market benchmarks: "embeds" each text as the first {@link #DIMENSIONS} bytes
 * of its SHA-256, scaled to [-1, 1). Microseconds per job and deterministic, so what a benchmark measures is the
 * protocol (events, signatures, sealing, relay, journals), not a model.
 */
public final class HashEmbeddingRunner implements Runner {

    public static final String MODEL = "sim-sha256-embedding";
    static final int DIMENSIONS = 8;

    @Override
    public RunnerDescription describe() {
        return new RunnerDescription("simulated", List.of(new RunnerDescription.ServedModel(MODEL,
                Set.of(TaskType.EMBEDDING))));
    }

    @Override
    public RunResult run(RunRequest request, StreamSink sink) {
        if (request.task() != TaskType.EMBEDDING || !MODEL.equals(request.model())
                || !(request.input() instanceof RunInput.Texts texts)) {
            return RunResult.failure(FailureReason.UNSUPPORTED_TASK, "only " + MODEL + " embeddings of texts");
        }
        List<Embedding> vectors = new ArrayList<>(texts.texts().size());
        for (String text : texts.texts()) {
            byte[] hash = Sha256.hash(text.getBytes(StandardCharsets.UTF_8));
            float[] v = new float[DIMENSIONS];
            for (int i = 0; i < DIMENSIONS; i++) {
                v[i] = hash[i] / 128f;
            }
            vectors.add(new Embedding(v));
        }
        return new RunResult.Success(new RunOutput.Vectors(vectors),
                Usage.of(Usage.Unit.TEXTS, vectors.size(), vectors.size()), "complete");
    }
}
