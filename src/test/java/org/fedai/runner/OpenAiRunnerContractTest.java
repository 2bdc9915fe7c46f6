package org.fedai.runner;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedai.nostr.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAI-compatible wire contract, as the OpenAI API reference documents it ("Create chat
 * completion" with stream=true: chat.completion.chunk objects as server-sent events ending in
 * "data: [DONE]", usage in a last chunk with empty choices when stream_options.include_usage is
 * set; "Create embeddings"; error objects), and as llama.cpp's server, vLLM and Ollama's /v1 emit it.
 */
class OpenAiRunnerContractTest {

    private static final String SSE = "text/event-stream";
    private static final String CHUNK = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
            + "\"model\":\"qwen2.5-0.5b\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":%s,"
            + "\"logprobs\":null,\"finish_reason\":%s}]}";

    private WireServer server;
    private OpenAiRunner runner;

    @BeforeEach
    void start() throws Exception {
        server = new WireServer();
        runner = new OpenAiRunner(ModelServerConfig.of(server.baseUrl("/v1"), List.of("qwen2.5-0.5b"),
                List.of("nomic-embed-text")).withApiKey("sk-test-123"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String event(String delta, String finish) {
        return "data: " + CHUNK.formatted(delta, finish) + "\n\n";
    }

    private static List<String> helloStream() {
        return List.of(
                event("{\"role\":\"assistant\",\"content\":\"\"}", "null"),
                event("{\"content\":\"Hello\"}", "null"),
                event("{\"content\":\", world\"}", "null"),
                event("{}", "\"stop\""),
                "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
                        + "\"model\":\"qwen2.5-0.5b\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
                        + "\"completion_tokens\":3,\"total_tokens\":12}}\n\n",
                "data: [DONE]\n\n");
    }

    @Test
    void streamsChatDeltasAndReportsServerUsage() throws Exception {
        server.reply("/v1/chat/completions", WireServer.Reply.stream(SSE, helloStream()));
        List<StreamChunk> chunks = new ArrayList<>();

        RunResult result = runner.run(RunRequest.chat("qwen2.5-0.5b",
                List.of(RunInput.ChatMessage.system("Be brief."), RunInput.ChatMessage.user("Say hello")),
                RunParams.generation(64, 0.2)), chunks::add);

        assertThat(result).isEqualTo(new RunResult.Success(new RunOutput.Text("Hello, world"),
                Usage.of(Usage.Unit.TOKENS, 9, 3), "stop"));
        assertThat(chunks).containsExactly(new StreamChunk.TextDelta(0, "Hello"), new StreamChunk.TextDelta(1, ", world"));

        WireServer.Received request = server.take();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test-123");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = Json.MAPPER.readTree(request.body());
        assertThat(body.path("model").asText()).isEqualTo("qwen2.5-0.5b");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello\"}]");
    }

    @Test
    void barePromptBecomesOneUserTurnAndDefaultsStayUnsent() throws Exception {
        server.reply("/v1/chat/completions", WireServer.Reply.stream(SSE, helloStream()));

        assertThat(runner.run(RunRequest.complete("qwen2.5-0.5b", "Say hello", RunParams.DEFAULTS)).isSuccess()).isTrue();

        JsonNode body = Json.MAPPER.readTree(server.take().body());
        assertThat(body.path("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"Say hello\"}]");
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.has("temperature")).isFalse();
    }

    @Test
    void missingUsageIsCountedAndMarkedEstimated() {
        List<String> noUsage = new ArrayList<>(helloStream());
        noUsage.remove(4);
        server.reply("/v1/chat/completions", WireServer.Reply.stream(SSE, noUsage));

        var result = (RunResult.Success) runner.run(RunRequest.complete("qwen2.5-0.5b", "hi", RunParams.DEFAULTS));

        assertThat(result.usage()).isEqualTo(new Usage(Usage.Unit.TOKENS, 0, 2, true));
    }

    @Test
    void sseCommentsAndMultiLineFramingFollowTheEventStreamRules() {
        server.reply("/v1/chat/completions", WireServer.Reply.stream(SSE, List.of(
                ": keep-alive\n\n",
                "event: message\r\n" + "data: " + CHUNK.formatted("{\"content\":\"A\"}", "null") + "\r\n\r\n",
                "data: " + CHUNK.formatted("{\"content\":\"B\"}", "\"length\"") + "\n\n",
                "data: [DONE]\n\n")));

        var result = (RunResult.Success) runner.run(RunRequest.complete("qwen2.5-0.5b", "hi", RunParams.DEFAULTS));

        assertThat(result.output()).isEqualTo(new RunOutput.Text("AB"));
        assertThat(result.finishReason()).isEqualTo("length");
    }

    @Test
    void http500IsAnUpstreamErrorWithTheServersMessage() {
        server.reply("/v1/chat/completions", WireServer.Reply.json(500,
                "{\"error\":{\"message\":\"CUDA out of memory\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));

        assertThat(runner.run(RunRequest.complete("qwen2.5-0.5b", "hi", RunParams.DEFAULTS)))
                .isEqualTo(RunResult.failure(FailureReason.UPSTREAM_ERROR, "HTTP 500: CUDA out of memory"));
    }

    @Test
    void http401IsARejection() {
        server.reply("/v1/chat/completions", WireServer.Reply.json(401,
                "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));

        assertThat(runner.run(RunRequest.complete("qwen2.5-0.5b", "hi", RunParams.DEFAULTS)))
                .isEqualTo(RunResult.failure(FailureReason.UPSTREAM_REJECTED, "HTTP 401: Incorrect API key provided"));
    }

    @Test
    void malformedSseDataIsAProtocolFailure() {
        server.reply("/v1/chat/completions", WireServer.Reply.stream(SSE, List.of(
                event("{\"content\":\"Hel\"}", "null"), "data: {\"choices\":[{\"delta\":\n\n", "data: [DONE]\n\n")));

        assertThat(reason(runner.run(RunRequest.complete("qwen2.5-0.5b", "hi", RunParams.DEFAULTS))))
                .isEqualTo(FailureReason.UPSTREAM_PROTOCOL);
    }

    @Test
    void errorObjectInsideTheStreamIsAnUpstreamError() {
        server.reply("/v1/chat/completions", WireServer.Reply.stream(SSE, List.of(
                event("{\"content\":\"Hel\"}", "null"),
                "data: {\"error\":{\"message\":\"context length exceeded\",\"type\":\"invalid_request_error\"}}\n\n")));

        assertThat(runner.run(RunRequest.complete("qwen2.5-0.5b", "hi", RunParams.DEFAULTS)))
                .isEqualTo(RunResult.failure(FailureReason.UPSTREAM_ERROR, "error in stream: context length exceeded"));
    }

    @Test
    void streamThatEndsBeforeDoneIsInterrupted() {
        server.reply("/v1/chat/completions", WireServer.Reply.stream(SSE, helloStream().subList(0, 2)));

        assertThat(runner.run(RunRequest.complete("qwen2.5-0.5b", "hi", RunParams.DEFAULTS)))
                .isEqualTo(RunResult.failure(FailureReason.STREAM_INTERRUPTED, "stream ended before the server finished"));
    }

    @Test
    void connectionDroppedMidStreamIsInterrupted() {
        server.reply("/v1/chat/completions", WireServer.Reply.dropAfter(SSE, helloStream().subList(0, 2)));
        List<StreamChunk> chunks = new ArrayList<>();

        RunResult result = runner.run(RunRequest.complete("qwen2.5-0.5b", "hi", RunParams.DEFAULTS), chunks::add);

        assertThat(reason(result)).isEqualTo(FailureReason.STREAM_INTERRUPTED);
        assertThat(((RunResult.Failure) result).detail()).startsWith("connection lost mid-stream");
        assertThat(chunks).containsExactly(new StreamChunk.TextDelta(0, "Hello"));
    }

    @Test
    void streamThatStallsPastItsDeadlineTimesOut() {
        server.reply("/v1/chat/completions", WireServer.Reply.stallAfter(SSE, helloStream().subList(0, 2)));
        OpenAiRunner impatient = new OpenAiRunner(ModelServerConfig.of(server.baseUrl("/v1"), List.of("m"), List.of())
                .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)));

        RunResult result = impatient.run(RunRequest.complete("m", "hi", RunParams.DEFAULTS));

        assertThat(reason(result)).isEqualTo(FailureReason.TIMEOUT);
    }

    @Test
    void sinkThatThrowsCancelsTheRun() {
        server.reply("/v1/chat/completions", WireServer.Reply.stream(SSE, helloStream()));

        RunResult result = runner.run(RunRequest.complete("qwen2.5-0.5b", "hi", RunParams.DEFAULTS), chunk -> {
            throw new IllegalStateException("client went away");
        });

        assertThat(reason(result)).isEqualTo(FailureReason.CANCELLED);
    }

    @Test
    void embeddingsAreBoundToTheirTextsByIndex() throws Exception {
        server.reply("/v1/embeddings", WireServer.Reply.json(200, """
                {"object":"list","data":[
                 {"object":"embedding","embedding":[0.0,1.0,0.0],"index":1},
                 {"object":"embedding","embedding":[0.6,0.0,0.8],"index":0}],
                 "model":"nomic-embed-text","usage":{"prompt_tokens":8,"total_tokens":8}}"""));

        var result = (RunResult.Success) runner.run(RunRequest.embed("nomic-embed-text", List.of("first", "second")));

        assertThat(result.output()).isEqualTo(new RunOutput.Vectors(List.of(
                new Embedding(new float[] {0.6f, 0f, 0.8f}), new Embedding(new float[] {0f, 1f, 0f}))));
        assertThat(result.usage()).isEqualTo(Usage.of(Usage.Unit.TEXTS, 2, 2));
        JsonNode body = Json.MAPPER.readTree(server.take().body());
        assertThat(body.path("input").toString()).isEqualTo("[\"first\",\"second\"]");
        assertThat(body.path("encoding_format").asText()).isEqualTo("float");
    }

    @Test
    void embeddingResponseWithWrongCountIsAProtocolFailure() {
        server.reply("/v1/embeddings", WireServer.Reply.json(200,
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"embedding\":[1.0],\"index\":0}]}"));

        assertThat(runner.run(RunRequest.embed("nomic-embed-text", List.of("a", "b"))))
                .isEqualTo(RunResult.failure(FailureReason.UPSTREAM_PROTOCOL, "expected 2 embeddings, got 1"));
    }

    @Test
    void refusesBeforeSendingWhenModelOrInputIsWrong() {
        assertThat(reason(runner.run(RunRequest.complete("gpt-9", "hi", RunParams.DEFAULTS))))
                .isEqualTo(FailureReason.UNKNOWN_MODEL);
        assertThat(reason(runner.run(RunRequest.complete("qwen2.5-0.5b", "nul \u0000 byte", RunParams.DEFAULTS))))
                .isEqualTo(FailureReason.CONTROL_CHARACTERS);
        assertThat(reason(runner.run(RunRequest.chunk("qwen2.5-0.5b", "text", 64, 0))))
                .isEqualTo(FailureReason.UNSUPPORTED_TASK);
    }

    @Test
    void unreachableServerIsUnavailable() {
        int port = Integer.parseInt(server.baseUrl("").substring("http://127.0.0.1:".length()));
        server.close();
        OpenAiRunner orphan = new OpenAiRunner(ModelServerConfig.of("http://127.0.0.1:" + port + "/v1",
                List.of("m"), List.of()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));

        assertThat(reason(orphan.run(RunRequest.complete("m", "hi", RunParams.DEFAULTS))))
                .isEqualTo(FailureReason.UPSTREAM_UNAVAILABLE);
    }

    @Test
    void apiKeyNeverShowsInConfigText() {
        assertThat(ModelServerConfig.of("http://127.0.0.1:1/v1", List.of(), List.of()).withApiKey("sk-secret").toString())
                .doesNotContain("sk-secret");
    }

    private static FailureReason reason(RunResult r) {
        assertThat(r).isInstanceOf(RunResult.Failure.class);
        return ((RunResult.Failure) r).reason();
    }
}
