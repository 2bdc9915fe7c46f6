package org.fedai.runner;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The runner every node has without any model server: sentence embeddings from the bundled
 * all-MiniLM-L6-v2 and token-aware chunking. Input passes the {@link InputPolicy} first; vectors
 * are cached by the sha256 of (model, text), so repeated texts cost nothing.
 */
public final class EmbeddedRunner implements Runner {

    public static final String RUNNER_NAME = "embedded";
    public static final String EMBEDDING_MODEL = "all-minilm-l6-v2-q";
    /** Chunking "models" are the tokenizers that count the budget. */
    public static final List<String> CHUNK_MODELS = List.of("cl100k_base", "o200k_base");

    /**
     * @param policy         admission limits
     * @param cacheEntries   vectors kept; 0 disables the cache
     * @param threads        embedding threads
     * @param chunkTokens    default chunk budget when a request gives none
     * @param chunkOverlap   default overlap when a request gives no budget
     */
    public record Config(InputPolicy policy, long cacheEntries, int threads, int chunkTokens, int chunkOverlap) {
        public static Config defaults() {
            return new Config(InputPolicy.DEFAULT, 10_000, Math.max(1, Runtime.getRuntime().availableProcessors()),
                    256, 32);
        }

        public Config withCacheEntries(long entries) {
            return new Config(policy, entries, threads, chunkTokens, chunkOverlap);
        }

        public Config withPolicy(InputPolicy newPolicy) {
            return new Config(newPolicy, cacheEntries, threads, chunkTokens, chunkOverlap);
        }
    }

    /** @param encoded texts that went through the model; hits and misses are the cache's own counts */
    public record Stats(long encoded, long cacheHits, long cacheMisses) {
    }

    private final Config config;
    private final Cache<String, Embedding> cache;
    private volatile MiniLmEncoder encoder;

    public EmbeddedRunner(Config config) {
        this.config = config;
        this.cache = Caffeine.newBuilder().maximumSize(config.cacheEntries()).recordStats().build();
    }

    public EmbeddedRunner() {
        this(Config.defaults());
    }

    @Override
    public RunnerDescription describe() {
        List<RunnerDescription.ServedModel> models = new ArrayList<>();
        models.add(new RunnerDescription.ServedModel(EMBEDDING_MODEL, EnumSet.of(TaskType.EMBEDDING)));
        CHUNK_MODELS.forEach(m -> models.add(new RunnerDescription.ServedModel(m, EnumSet.of(TaskType.CHUNK))));
        return new RunnerDescription(RUNNER_NAME, models);
    }

    @Override
    public RunResult run(RunRequest request, StreamSink sink) {
        try {
            return switch (request.task()) {
                case EMBEDDING -> embed(request);
                case CHUNK -> chunk(request);
                default -> throw new RunFailedException(FailureReason.UNSUPPORTED_TASK,
                        RUNNER_NAME + " runner does not do " + request.task().wireName());
            };
        } catch (RunFailedException e) {
            return e.toFailure();
        } catch (RuntimeException e) {
            // ONNX Runtime and the tokenizer report faults as unchecked exceptions; the node must survive them.
            return RunResult.failure(FailureReason.INTERNAL, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private RunResult embed(RunRequest request) throws RunFailedException {
        if (!EMBEDDING_MODEL.equals(request.model())) {
            throw new RunFailedException(FailureReason.UNKNOWN_MODEL, "no embedding model " + request.model());
        }
        List<String> texts = config.policy().admitEmbeddingInput(request.input());
        Embedding[] out = new Embedding[texts.size()];
        List<String> missing = new ArrayList<>();
        List<Integer> missingAt = new ArrayList<>();
        String[] keys = new String[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            keys[i] = cacheKey(request.model(), texts.get(i));
            out[i] = cache.getIfPresent(keys[i]);
            if (out[i] == null) {
                missing.add(texts.get(i));
                missingAt.add(i);
            }
        }
        if (!missing.isEmpty()) {
            MiniLmEncoder.Encoded encoded = encoder().encode(missing);
            for (int j = 0; j < missing.size(); j++) {
                int i = missingAt.get(j);
                out[i] = encoded.vectors().get(j);
                cache.put(keys[i], out[i]);
            }
        }
        return new RunResult.Success(new RunOutput.Vectors(List.of(out)),
                Usage.of(Usage.Unit.TEXTS, texts.size(), texts.size()), "complete");
    }

    private RunResult chunk(RunRequest request) throws RunFailedException {
        TextChunker chunker = TextChunker.forEncoding(request.model())
                .filter(c -> CHUNK_MODELS.contains(request.model()))
                .orElseThrow(() -> new RunFailedException(FailureReason.UNKNOWN_MODEL, "no tokenizer " + request.model()));
        if (!(request.input() instanceof RunInput.Text(String raw))) {
            throw new RunFailedException(FailureReason.UNSUPPORTED_TASK, "chunking takes one text");
        }
        String text = config.policy().admit(raw);
        RunParams p = request.params();
        int budget = p.chunkTokens() == 0 ? config.chunkTokens() : p.chunkTokens();
        int overlap = p.chunkTokens() == 0 ? config.chunkOverlap() : p.chunkOverlap();
        if (budget < TextChunker.MIN_CHUNK_TOKENS || overlap > budget / 2) {
            throw new RunFailedException(FailureReason.INVALID_INPUT, "chunk budget must be at least "
                    + TextChunker.MIN_CHUNK_TOKENS + " tokens and overlap at most half of it");
        }
        List<String> chunks = chunker.split(text, budget, overlap);
        long out = chunks.stream().mapToLong(chunker::countTokens).sum();
        return new RunResult.Success(new RunOutput.Texts(chunks),
                Usage.of(Usage.Unit.TOKENS, chunker.countTokens(text), out), "complete");
    }

    private MiniLmEncoder encoder() {
        MiniLmEncoder e = encoder;
        if (e == null) {
            synchronized (this) {
                // Loading the ONNX session takes a moment; nodes that only chunk never pay for it.
                if (encoder == null) {
                    encoder = new MiniLmEncoder(config.threads());
                }
                e = encoder;
            }
        }
        return e;
    }

    static String cacheKey(String model, String text) {
        return Hex.encode(Sha256.hash((model + '\n' + text).getBytes(StandardCharsets.UTF_8)));
    }

    public Stats stats() {
        MiniLmEncoder e = encoder;
        var s = cache.stats();
        return new Stats(e == null ? 0 : e.encodedCount(), s.hitCount(), s.missCount());
    }

    public int dimensions() {
        return MiniLmEncoder.DIMENSIONS;
    }

    @Override
    public synchronized void close() {
        if (encoder != null) {
            encoder.close();
        }
    }
}
