package org.fedai.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedai.nostr.Json;

import java.util.List;

/**
 * Ollama's native API: /api/chat for conversations and /api/generate for bare prompts, both
 * streamed as newline-delimited JSON ending in an object with {@code "done": true} and the
 * prompt/eval token counts; /api/embed for embeddings. Base URL e.g. http://127.0.0.1:11434.
 */
public final class OllamaRunner extends ModelServerRunner {

    public static final String RUNNER_NAME = "ollama";

    public OllamaRunner(ModelServerConfig config) {
        super(config, RUNNER_NAME);
    }

    @Override
    RunResult generate(RunRequest request, StreamSink sink) throws RunFailedException {
        List<RunInput.ChatMessage> messages = config.policy().admitPrompt(request.input());
        boolean chat = request.input() instanceof RunInput.Chat;
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", request.model());
        if (chat) {
            ArrayNode array = body.putArray("messages");
            messages.forEach(m -> array.addObject().put("role", m.role()).put("content", m.content()));
        } else {
            body.put("prompt", messages.get(0).content());
        }
        body.put("stream", true);
        RunParams p = request.params();
        if (p.maxTokens() > 0 || p.hasTemperature()) {
            ObjectNode options = body.putObject("options");
            if (p.maxTokens() > 0) {
                options.put("num_predict", p.maxTokens());
            }
            if (p.hasTemperature()) {
                options.put("temperature", p.temperature());
            }
        }

        TextStream text = new TextStream(sink);
        JsonNode[] last = new JsonNode[1];
        http.stream(chat ? "/api/chat" : "/api/generate", body, config.streamDeadline(), line -> {
            if (line.isBlank()) {
                return false;
            }
            JsonNode node = ModelServerHttp.parse(line);
            if (!node.isObject()) {
                throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL, "stream line is not an object");
            }
            if (node.has("error")) {
                throw new RunFailedException(FailureReason.UPSTREAM_ERROR, "error in stream: " + ModelServerHttp.errorText(node));
            }
            JsonNode delta = chat ? node.path("message").path("content") : node.path("response");
            if (delta.isTextual()) {
                text.append(delta.asText());
            } else if (!delta.isMissingNode() && !node.path("done").asBoolean(false)) {
                throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL, "stream line carries no text");
            }
            if (node.path("done").asBoolean(false)) {
                last[0] = node;
                return true;
            }
            return false;
        });
        JsonNode done = last[0];
        Usage usage = done.has("eval_count")
                ? Usage.of(Usage.Unit.TOKENS, done.path("prompt_eval_count").asLong(0), done.path("eval_count").asLong(0))
                : new Usage(Usage.Unit.TOKENS, 0, text.deltas(), true);
        return new RunResult.Success(new RunOutput.Text(text.text()), usage, done.path("done_reason").asText("stop"));
    }

    @Override
    RunResult embed(RunRequest request) throws RunFailedException {
        List<String> texts = config.policy().admitEmbeddingInput(request.input());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", request.model());
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        JsonNode response = http.post("/api/embed", body);
        JsonNode embeddings = response.path("embeddings");
        if (!embeddings.isArray() || embeddings.size() != texts.size()) {
            throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL,
                    "expected " + texts.size() + " embeddings, got " + (embeddings.isArray() ? embeddings.size() : "none"));
        }
        Embedding[] out = new Embedding[texts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Vectors.parse(embeddings.get(i));
        }
        Vectors.requireSameDimensions(out);
        return new RunResult.Success(new RunOutput.Vectors(List.of(out)),
                Usage.of(Usage.Unit.TEXTS, texts.size(), texts.size()), "complete");
    }
}
