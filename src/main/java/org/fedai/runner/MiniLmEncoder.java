package org.fedai.runner;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * all-MiniLM-L6-v2 (int8) sentence embeddings, in process and offline: the ONNX model and its
 * tokenizer ship inside the langchain4j jar and run on ONNX Runtime (mean pooling, L2-normalised,
 * 384 dimensions). The work is spread over a pool this class owns, so closing the runner frees it.
 */
final class MiniLmEncoder implements AutoCloseable {

    static final int DIMENSIONS = 384;

    private final ExecutorService pool;
    private final AllMiniLmL6V2QuantizedEmbeddingModel model;
    private final AtomicLong encoded = new AtomicLong();

    MiniLmEncoder(int threads) {
        // DJL (the tokenizer's host library) checks in with its vendor daily unless told not to, and may
        // try downloads in online mode. A node stays offline and silent whatever its environment says.
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.offline", "true");
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("minilm-", 0).factory());
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(pool);
    }

    /** Embeds every text; the result is in input order. Token usage as the model's own tokenizer counts it. */
    Encoded encode(List<String> texts) {
        var response = model.embedAll(texts.stream().map(TextSegment::from).toList());
        encoded.addAndGet(texts.size());
        List<Embedding> vectors = response.content().stream().map(e -> new Embedding(e.vector())).toList();
        Integer tokens = response.tokenUsage() == null ? null : response.tokenUsage().inputTokenCount();
        return new Encoded(vectors, tokens == null ? 0 : tokens);
    }

    /** Texts that actually went through the model (cache hits never do). */
    long encodedCount() {
        return encoded.get();
    }

    record Encoded(List<Embedding> vectors, long tokens) {
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
