package org.fedai.runner;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where a node's local model server lives and what it serves.
 *
 * @param baseUrl          e.g. http://127.0.0.1:8080/v1 (OpenAI-compatible) or http://127.0.0.1:11434 (Ollama)
 * @param apiKey           sent as a Bearer token; null when the server needs none
 * @param generationModels models offered for text generation
 * @param embeddingModels  models offered for embeddings
 * @param requestTimeout   connect and first-byte limit
 * @param streamDeadline   limit on a whole streamed answer
 * @param policy           admission limits applied before anything is sent
 */
public record ModelServerConfig(URI baseUrl, String apiKey, List<String> generationModels,
                                List<String> embeddingModels, Duration requestTimeout, Duration streamDeadline,
                                InputPolicy policy) {

    public ModelServerConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("model server URL must be http or https: " + baseUrl);
        }
        generationModels = List.copyOf(generationModels);
        embeddingModels = List.copyOf(embeddingModels);
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(streamDeadline, "streamDeadline");
        Objects.requireNonNull(policy, "policy");
    }

    public static ModelServerConfig of(String baseUrl, List<String> generationModels, List<String> embeddingModels) {
        return new ModelServerConfig(URI.create(baseUrl), null, generationModels, embeddingModels,
                Duration.ofSeconds(30), Duration.ofMinutes(10), InputPolicy.DEFAULT);
    }

    public ModelServerConfig withApiKey(String key) {
        return new ModelServerConfig(baseUrl, key, generationModels, embeddingModels, requestTimeout, streamDeadline, policy);
    }

    public ModelServerConfig withTimeouts(Duration request, Duration stream) {
        return new ModelServerConfig(baseUrl, apiKey, generationModels, embeddingModels, request, stream, policy);
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "ModelServerConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", generationModels=" + generationModels + ", embeddingModels=" + embeddingModels
                + ", requestTimeout=" + requestTimeout + ", streamDeadline=" + streamDeadline + "]";
    }

    RunnerDescription describe(String runner) {
        java.util.Map<String, java.util.EnumSet<TaskType>> tasks = new java.util.LinkedHashMap<>();
        generationModels.forEach(m -> tasks.computeIfAbsent(m, k -> java.util.EnumSet.noneOf(TaskType.class))
                .add(TaskType.TEXT_GENERATION));
        embeddingModels.forEach(m -> tasks.computeIfAbsent(m, k -> java.util.EnumSet.noneOf(TaskType.class))
                .add(TaskType.EMBEDDING));
        return new RunnerDescription(runner, tasks.entrySet().stream()
                .map(e -> new RunnerDescription.ServedModel(e.getKey(), e.getValue())).toList());
    }

    void requireServed(RunRequest request) throws RunFailedException {
        List<String> models = switch (request.task()) {
            case TEXT_GENERATION -> generationModels;
            case EMBEDDING -> embeddingModels;
            default -> throw new RunFailedException(FailureReason.UNSUPPORTED_TASK,
                    "model servers do not do " + request.task().wireName());
        };
        if (!models.contains(request.model())) {
            throw new RunFailedException(FailureReason.UNKNOWN_MODEL,
                    "model " + request.model() + " is not offered for " + request.task().wireName());
        }
    }
}
