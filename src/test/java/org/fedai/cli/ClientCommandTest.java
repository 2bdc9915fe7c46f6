package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.fedai.domain.JobId;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.store.ClientJournal;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedai client submit} and {@code resume} in-process: a router's refusal, and the journal's rules. */
@RelayTest
class ClientCommandTest {

    @TempDir
    Path dir;

    @Test
    void aJobNoNodeCanDoFailsAtOnceWithTheRoutersReason() throws Exception {
        try (LiveMarket market = new LiveMarket(dir)) {
            CliRun run = CliRun.run("", "client", "submit", "--relay", market.url(), "--router",
                    market.routerKeys.publicKey(), "--wallet-db", market.walletDb.toString(), "--deposit-msat",
                    "100000", "--model", "no-such-model", "--timeout", "600", "--json", "some text");
            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
            assertThat(run.out()).contains("\"succeeded\":false")
                    .contains("\"failure\":\"router refused: no_capable_node");
            assertThat(run.err()).contains("router refused the job: no_capable_node");
        }
    }

    @Test
    void resumeNeedsAJournal() {
        // (a journal no longer needs --key: without one the client uses its kept key, ~/.fedai/client.key)
        String relay = "ws://127.0.0.1:1";
        CliRun noJournal = CliRun.run("", "client", "resume", "--relay", relay, "--key", KeyPair.generate().nsec(),
                "--wallet-db", dir.resolve("w.db").toString());
        assertThat(noJournal.exitCode()).isEqualTo(2);
        assertThat(noJournal.err()).contains("resume needs --journal");
    }

    @Test
    void resumeWithNothingOpenSaysSo() {
        Path journal = dir.resolve("c.db");
        try (ClientJournal j = ClientJournal.open(journal)) {
            j.recordState(JobId.of("ab".repeat(32)), PublicKey.of("cd".repeat(32)), "DONE", null, 1);
        }
        CliRun run = CliRun.run("", "client", "resume", "--relay", "ws://127.0.0.1:1", "--key",
                KeyPair.generate().nsec(), "--wallet-db", dir.resolve("w.db").toString(), "--journal",
                journal.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("no open jobs");
    }

    @Test
    void aChatJobStreamsTheAnswerAsItComesThenPrintsIt() throws Exception {
        // the chat model server is a stand-in for what cannot run here (an OpenAI-compatible LLM server), serving
        // the documented wire format; the node runs fedai's real OpenAI runner against it
        String chatModel = "qwen2.5-0.5b";
        try (org.fedai.testing.ChatServerStandIn server = org.fedai.testing.ChatServerStandIn.start(chatModel,
                java.util.List.of("Hello", ", world"), 9, 3);
             LiveMarket market = new LiveMarket(dir, new org.fedai.runner.OpenAiRunner(
                     org.fedai.runner.ModelServerConfig.of(server.baseUrl(), java.util.List.of(chatModel),
                             java.util.List.of())))) {
            CliRun run = CliRun.run("", "client", "submit", "--relay", market.url(), "--router",
                    market.routerKeys.publicKey(), "--wallet-db", market.walletDb.toString(), "--deposit-msat",
                    "100000", "--task", "chat", "--model", chatModel, "Say hello");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).as("the chunks, in order, as they came").contains("Hello, world");
            assertThat(run.out()).contains("result   ").contains("Hello, world");
        }
    }

    @Test
    void chatNeedsAModel() {
        CliRun run = CliRun.run("", "client", "submit", "--relay", "ws://127.0.0.1:1", "--router", "ab".repeat(32),
                "--wallet-db", dir.resolve("w.db").toString(), "--task", "chat", "hi");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("fedai client submit: --task chat needs --model");
    }
}
