package org.fedai.roles.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.nip90.Nip90Encryption;
import org.fedai.protocol.nip90.Nip90Status;
import org.fedai.roles.nip90.Nip90Customer;
import org.fedai.roles.nip90.Nip90Gateway;
import org.fedai.roles.nip90.Nip90Tasks;
import org.fedai.runner.ModelServerConfig;
import org.fedai.runner.OpenAiRunner;
import org.fedai.store.ClientJournal;
import org.fedai.store.Nip90Journal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NIP-90 text generation (5050) to a chat runner. Contract test: an external LLM server cannot run here, so the node's
 * real OpenAI-compatible runner talks to a loopback stand-in that answers in the documented chat-completions stream
 * format; everything else (relay, gateway, router, node, wallets) is real.
 */
class Nip90TextGenerationTest {

    private static final String CHAT_MODEL = "qwen2.5-0.5b";

    @TempDir
    Path dir;

    private HttpServer llm;
    private final AtomicReference<String> lastRequest = new AtomicReference<>("");

    private static String delta(String json, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + CHAT_MODEL
                + "\",\"choices\":[{\"index\":0,\"delta\":" + json + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    @BeforeEach
    void startStandIn() throws Exception {
        List<String> stream = List.of(delta("{\"role\":\"assistant\",\"content\":\"\"}", "null"),
                delta("{\"content\":\"Paris\"}", "null"), delta("{\"content\":\", of course.\"}", "null"),
                delta("{}", "\"stop\""),
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + CHAT_MODEL
                        + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,"
                        + "\"total_tokens\":13}}\n\n",
                "data: [DONE]\n\n");
        llm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        llm.createContext("/v1/chat/completions", exchange -> {
            lastRequest.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String part : stream) {
                    out.write(part.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        llm.start();
    }

    @AfterEach
    void stopStandIn() {
        llm.stop(0);
    }

    @Test
    void aTextGenerationRequestIsAnsweredWithTheModelsText() throws Exception {
        String base = "http://127.0.0.1:" + llm.getAddress().getPort() + "/v1";
        var runner = new OpenAiRunner(ModelServerConfig.of(base, List.of(CHAT_MODEL), List.of()));
        try (FlowMarket m = new FlowMarket(dir, runner, Duration.ofMillis(200));
                Nip90Gateway gateway = new Nip90Gateway(Nip90Gateway.Config.of(KeyPair.generate(),
                        Map.of(Nip90Tasks.TEXT_GENERATION, CHAT_MODEL)), m.router, m.newPool(),
                        Nip90Journal.open(dir.resolve("nip90.db")), ClientJournal.open(dir.resolve("gw.db"))).start()) {
            m.wallets.deposit("customer", CLIENT_FUNDS);
            try (Nip90Customer customer = new Nip90Customer(KeyPair.generate(), m.newPool(),
                    m.wallets.wallet("customer"))) {
                String request = customer.post(Nip90Tasks.TEXT_GENERATION, List.of("What is the capital of France?"),
                        Map.of("max_tokens", "32", "top_k", "50"), OptionalLong.of(50_000), Nip90Encryption.NIP44,
                        gateway.publicKey());
                await().atMost(WAIT).until(() -> customer.answered(request));

                assertThat(customer.result(request)).as(customer.feedback(request).toString()).isNotNull();
                assertThat(customer.result(request).kind()).isEqualTo(6050);
                assertThat(customer.result(request).content()).isEqualTo("Paris, of course.");
                assertThat(customer.statuses(request)).containsSubsequence(Nip90Status.PAYMENT_REQUIRED,
                        Nip90Status.SUCCESS);
                assertThat(lastRequest.get()).contains("What is the capital of France?").contains("\"max_tokens\":32")
                        .doesNotContain("top_k");
                assertThat(m.balance("node")).isEqualTo(1000);
            }
        }
    }
}
