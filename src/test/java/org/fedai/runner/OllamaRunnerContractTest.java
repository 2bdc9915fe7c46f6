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
 * Ollama's native wire contract as its docs/api.md documents it: /api/chat and /api/generate
 * stream application/x-ndjson objects (message.content or response) ending in one with
 * "done": true, done_reason and prompt_eval_count/eval_count; /api/embed returns "embeddings";
 * errors are {"error": "..."} bodies or stream lines.
 */
class OllamaRunnerContractTest {

    private static final String NDJSON = "application/x-ndjson";

    private WireServer server;
    private OllamaRunner runner;

    @BeforeEach
    void start() throws Exception {
        server = new WireServer();
        runner = new OllamaRunner(ModelServerConfig.of(server.baseUrl(""), List.of("llama3.2"), List.of("all-minilm")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String chatLine(String content) {
        return "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"done\":false}\n";
    }

    private static final String CHAT_DONE = "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T19:22:45.499127Z\","
            + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
            + "\"total_duration\":4883583458,\"load_duration\":1334875,\"prompt_eval_count\":26,"
            + "\"prompt_eval_duration\":342546000,\"eval_count\":2,\"eval_duration\":4535599000}\n";

    @Test
    void streamsChatAndReportsEvalCounts() throws Exception {
        server.reply("/api/chat", WireServer.Reply.stream(NDJSON, List.of(chatLine("The"), chatLine(" sky"), CHAT_DONE)));
        List<StreamChunk> chunks = new ArrayList<>();

        RunResult result = runner.run(RunRequest.chat("llama3.2", List.of(RunInput.ChatMessage.user("Why is the sky blue?")),
                RunParams.generation(32, 0.0)), chunks::add);

        assertThat(result).isEqualTo(new RunResult.Success(new RunOutput.Text("The sky"),
                Usage.of(Usage.Unit.TOKENS, 26, 2), "stop"));
        assertThat(chunks).extracting(c -> ((StreamChunk.TextDelta) c).text()).containsExactly("The", " sky");
        WireServer.Received request = server.take();
        assertThat(request.path()).isEqualTo("/api/chat");
        assertThat(request.header("Authorization")).isNull();
        JsonNode body = Json.MAPPER.readTree(request.body());
        assertThat(body.path("model").asText()).isEqualTo("llama3.2");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}]");
        assertThat(body.path("options").toString()).isEqualTo("{\"num_predict\":32,\"temperature\":0.0}");
    }

    @Test
    void barePromptGoesToGenerate() throws Exception {
        server.reply("/api/generate", WireServer.Reply.stream(NDJSON, List.of(
                "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"response\":\"Blue\",\"done\":false}\n",
                "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T19:22:45.499127Z\",\"response\":\"\",\"done\":true,"
                        + "\"done_reason\":\"length\",\"context\":[1,2,3],\"total_duration\":10706818083,"
                        + "\"prompt_eval_count\":26,\"eval_count\":1}\n")));

        RunResult result = runner.run(RunRequest.complete("llama3.2", "Why is the sky blue?", RunParams.DEFAULTS));

        assertThat(result).isEqualTo(new RunResult.Success(new RunOutput.Text("Blue"),
                Usage.of(Usage.Unit.TOKENS, 26, 1), "length"));
        JsonNode body = Json.MAPPER.readTree(server.take().body());
        assertThat(body.path("prompt").asText()).isEqualTo("Why is the sky blue?");
        assertThat(body.has("options")).isFalse();
    }

    @Test
    void modelNotFoundIsARejection() {
        server.reply("/api/chat", WireServer.Reply.json(404, "{\"error\":\"model 'llama3.2' not found\"}"));

        assertThat(runner.run(RunRequest.chat("llama3.2", List.of(RunInput.ChatMessage.user("hi")), RunParams.DEFAULTS)))
                .isEqualTo(RunResult.failure(FailureReason.UPSTREAM_REJECTED, "HTTP 404: model 'llama3.2' not found"));
    }

    @Test
    void http500IsAnUpstreamError() {
        server.reply("/api/generate", WireServer.Reply.json(500, "{\"error\":\"llama runner process has terminated\"}"));

        assertThat(runner.run(RunRequest.complete("llama3.2", "hi", RunParams.DEFAULTS)))
                .isEqualTo(RunResult.failure(FailureReason.UPSTREAM_ERROR, "HTTP 500: llama runner process has terminated"));
    }

    @Test
    void errorLineMidStreamIsAnUpstreamError() {
        server.reply("/api/chat", WireServer.Reply.stream(NDJSON, List.of(
                chatLine("The"), "{\"error\":\"the model failed to generate a response\"}\n")));

        assertThat(runner.run(RunRequest.chat("llama3.2", List.of(RunInput.ChatMessage.user("hi")), RunParams.DEFAULTS)))
                .isEqualTo(RunResult.failure(FailureReason.UPSTREAM_ERROR, "error in stream: the model failed to generate a response"));
    }

    @Test
    void malformedLineIsAProtocolFailure() {
        server.reply("/api/chat", WireServer.Reply.stream(NDJSON, List.of(chatLine("The"), "{\"message\":{\"content\n", CHAT_DONE)));

        assertThat(reason(runner.run(RunRequest.chat("llama3.2", List.of(RunInput.ChatMessage.user("hi")), RunParams.DEFAULTS))))
                .isEqualTo(FailureReason.UPSTREAM_PROTOCOL);
    }

    @Test
    void streamWithoutDoneIsInterrupted() {
        server.reply("/api/chat", WireServer.Reply.stream(NDJSON, List.of(chatLine("The"), chatLine(" sky"))));

        assertThat(runner.run(RunRequest.chat("llama3.2", List.of(RunInput.ChatMessage.user("hi")), RunParams.DEFAULTS)))
                .isEqualTo(RunResult.failure(FailureReason.STREAM_INTERRUPTED, "stream ended before the server finished"));
    }

    @Test
    void connectionDroppedMidStreamIsInterrupted() {
        server.reply("/api/chat", WireServer.Reply.dropAfter(NDJSON, List.of(chatLine("The"))));

        RunResult result = runner.run(RunRequest.chat("llama3.2", List.of(RunInput.ChatMessage.user("hi")), RunParams.DEFAULTS));

        assertThat(reason(result)).isEqualTo(FailureReason.STREAM_INTERRUPTED);
        assertThat(((RunResult.Failure) result).detail()).startsWith("connection lost mid-stream");
    }

    @Test
    void embedsThroughApiEmbed() throws Exception {
        server.reply("/api/embed", WireServer.Reply.json(200, """
                {"model":"all-minilm","embeddings":[[0.010071029,-0.0017594862,0.05007221],
                [-0.0098027075,0.06042469,0.025358]],"total_duration":14143917,"load_duration":1019500,
                "prompt_eval_count":8}"""));

        var result = (RunResult.Success) runner.run(RunRequest.embed("all-minilm", List.of("Why is the sky blue?", "Why is grass green?")));

        List<Embedding> vectors = ((RunOutput.Vectors) result.output()).vectors();
        assertThat(vectors).hasSize(2);
        assertThat(vectors.get(0)).isEqualTo(new Embedding(new float[] {0.010071029f, -0.0017594862f, 0.05007221f}));
        assertThat(result.usage()).isEqualTo(Usage.of(Usage.Unit.TEXTS, 2, 2));
        JsonNode body = Json.MAPPER.readTree(server.take().body());
        assertThat(body.toString()).isEqualTo("{\"model\":\"all-minilm\",\"input\":[\"Why is the sky blue?\",\"Why is grass green?\"]}");
    }

    @Test
    void embeddingBodyThatStallsTimesOut() {
        server.reply("/api/embed", WireServer.Reply.stallAfter("application/json", List.of("{\"model\":\"all-minilm\",\"embeddings\":[[0.1,")));
        OllamaRunner impatient = new OllamaRunner(ModelServerConfig.of(server.baseUrl(""), List.of(), List.of("all-minilm"))
                .withTimeouts(Duration.ofMillis(300), Duration.ofMinutes(1)));

        assertThat(impatient.run(RunRequest.embed("all-minilm", List.of("a"))))
                .isEqualTo(RunResult.failure(FailureReason.TIMEOUT, "response body took longer than PT0.3S"));
    }

    @Test
    void embeddingWithNonNumbersIsAProtocolFailure() {
        server.reply("/api/embed", WireServer.Reply.json(200, "{\"model\":\"all-minilm\",\"embeddings\":[[0.1,\"x\"]]}"));

        assertThat(runner.run(RunRequest.embed("all-minilm", List.of("a"))))
                .isEqualTo(RunResult.failure(FailureReason.UPSTREAM_PROTOCOL, "embedding holds a non-number at 1"));
    }

    @Test
    void describesConfiguredModels() {
        assertThat(runner.describe().serves("llama3.2", TaskType.TEXT_GENERATION)).isTrue();
        assertThat(runner.describe().serves("all-minilm", TaskType.EMBEDDING)).isTrue();
        assertThat(runner.describe().serves("llama3.2", TaskType.EMBEDDING)).isFalse();
    }

    private static FailureReason reason(RunResult r) {
        assertThat(r).isInstanceOf(RunResult.Failure.class);
        return ((RunResult.Failure) r).reason();
    }
}
