package org.fedai.roles.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
import org.fedai.testing.ChatServerStandIn;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NIP-90 text generation (5050) to a chat runner. Contract test: an external LLM server cannot run here, so the node's
 * real OpenAI-compatible runner talks to a loopback stand-in that answers in the documented chat-completions stream
 * format; everything else (relay, gateway, router, node, wallets) is real.
 */
@RelayTest
class Nip90TextGenerationTest {

    private static final String CHAT_MODEL = "qwen2.5-0.5b";

    @TempDir
    Path dir;

    private ChatServerStandIn llm;

    @BeforeEach
    void startStandIn() throws Exception {
        llm = ChatServerStandIn.start(CHAT_MODEL, List.of("Paris", ", of course."), 9, 4);
    }

    @AfterEach
    void stopStandIn() {
        llm.close();
    }

    @Test
    void aTextGenerationRequestIsAnsweredWithTheModelsText() throws Exception {
        var runner = new OpenAiRunner(ModelServerConfig.of(llm.baseUrl(), List.of(CHAT_MODEL), List.of()));
        try (FlowMarket m = new FlowMarket(dir, runner, Duration.ofMillis(200));
                Nip90Gateway gateway = new Nip90Gateway(Nip90Gateway.Config.of(KeyPair.generate(),
                        Map.of(Nip90Tasks.TEXT_GENERATION, CHAT_MODEL)), m.router, m.newPool(),
                        Nip90Journal.open(dir.resolve("nip90.db")), ClientJournal.open(dir.resolve("gw.db"))).start()) {
            m.wallets.deposit("customer", CLIENT_FUNDS);
            try (Nip90Customer customer = new Nip90Customer(KeyPair.generate(), m.newPool(),
                    m.wallets.wallet("customer"))) {
                String request = customer.post(Nip90Tasks.TEXT_GENERATION, List.of("What is the capital of France?"),
                        Map.of("max_tokens", "32", "top_k", "50"), OptionalLong.of(50_000), Nip90Encryption.NIP44,
                        gateway.publicKey().hex());
                await().atMost(WAIT).until(() -> customer.answered(request));

                assertThat(customer.result(request)).as(customer.feedback(request).toString()).isNotNull();
                assertThat(customer.result(request).kind()).isEqualTo(6050);
                assertThat(customer.result(request).content()).isEqualTo("Paris, of course.");
                assertThat(customer.statuses(request)).containsSubsequence(Nip90Status.PAYMENT_REQUIRED,
                        Nip90Status.SUCCESS);
                assertThat(llm.lastRequest()).contains("What is the capital of France?").contains("\"max_tokens\":32")
                        .doesNotContain("top_k");
                assertThat(m.balance("node")).isEqualTo(1000);
            }
        }
    }
}
