package org.fedai.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedai.nostr.Json;

import java.util.List;
import java.util.Optional;

/**
 * Any OpenAI-compatible server: llama.cpp's server, vLLM, Ollama's /v1, hosted APIs. Chat
 * completions are always streamed (server-sent events of {@code choices[0].delta.content},
 * closed by {@code data: [DONE]}); embeddings go through /embeddings.
 * The base URL includes the version prefix, e.g. http://127.0.0.1:8080/v1.
 */
public final class OpenAiRunner extends ModelServerRunner {

    public static final String RUNNER_NAME = "openai";

    public OpenAiRunner(ModelServerConfig config) {
        super(config, RUNNER_NAME);
    }

    @Override
    RunResult generate(RunRequest request, StreamSink sink) throws RunFailedException {
        List<RunInput.ChatMessage> messages = config.policy().admitPrompt(request.input());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", request.model());
        ArrayNode array = body.putArray("messages");
        messages.forEach(m -> array.addObject().put("role", m.role()).put("content", m.content()));
        body.put("stream", true);
        // Without this the usage figures never arrive in streaming mode, and metering would have to guess.
        body.putObject("stream_options").put("include_usage", true);
        RunParams p = request.params();
        if (p.maxTokens() > 0) {
            body.put("max_tokens", p.maxTokens());
        }
        if (p.hasTemperature()) {
            body.put("temperature", p.temperature());
        }

        TextStream text = new TextStream(sink);
        ServerSentEvents events = new ServerSentEvents();
        ChatState state = new ChatState();
        // Every server this runner targets ends with [DONE]; a body that stops short of it is a cut-off answer.
        http.stream("/chat/completions", body, config.streamDeadline(), line -> {
            Optional<String> data = events.feed(line);
            return data.isPresent() && onEvent(data.get(), text, state);
        });
        Usage usage = state.usage != null ? state.usage
                : new Usage(Usage.Unit.TOKENS, 0, text.deltas(), true);
        return new RunResult.Success(new RunOutput.Text(text.text()), usage,
                state.finishReason == null ? "stop" : state.finishReason);
    }

    /** Returns true on [DONE]. */
    private static boolean onEvent(String data, TextStream text, ChatState state) throws RunFailedException {
        if (data.equals("[DONE]")) {
            return true;
        }
        JsonNode chunk = ModelServerHttp.parse(data);
        if (!chunk.isObject()) {
            throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL, "stream event is not an object");
        }
        if (chunk.has("error")) {
            throw new RunFailedException(FailureReason.UPSTREAM_ERROR, "error in stream: " + ModelServerHttp.errorText(chunk));
        }
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode content = choice.path("delta").path("content");
        if (content.isTextual()) {
            text.append(content.asText());
        } else if (!content.isMissingNode() && !content.isNull()) {
            throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL, "delta.content is not text");
        }
        JsonNode finish = choice.path("finish_reason");
        if (finish.isTextual()) {
            state.finishReason = finish.asText();
        }
        JsonNode usage = chunk.path("usage");
        if (usage.isObject()) {
            state.usage = Usage.of(Usage.Unit.TOKENS, usage.path("prompt_tokens").asLong(0),
                    usage.path("completion_tokens").asLong(0));
        }
        return false;
    }

    private static final class ChatState {
        String finishReason;
        Usage usage;
    }

    @Override
    RunResult embed(RunRequest request) throws RunFailedException {
        List<String> texts = config.policy().admitEmbeddingInput(request.input());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", request.model());
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        body.put("encoding_format", "float");
        JsonNode response = http.post("/embeddings", body);
        JsonNode data = response.path("data");
        if (!data.isArray() || data.size() != texts.size()) {
            throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL,
                    "expected " + texts.size() + " embeddings, got " + (data.isArray() ? data.size() : "none"));
        }
        Embedding[] out = new Embedding[texts.size()];
        for (JsonNode item : data) {
            // The spec orders data by index, but the index field is what binds a vector to its text.
            int index = item.path("index").asInt(-1);
            if (index < 0 || index >= out.length || out[index] != null) {
                throw new RunFailedException(FailureReason.UPSTREAM_PROTOCOL, "bad or repeated embedding index " + index);
            }
            out[index] = Vectors.parse(item.path("embedding"));
        }
        Vectors.requireSameDimensions(out);
        return new RunResult.Success(new RunOutput.Vectors(List.of(out)),
                Usage.of(Usage.Unit.TEXTS, texts.size(), texts.size()), "complete");
    }
}
