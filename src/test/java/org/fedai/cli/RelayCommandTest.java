package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip01Messages;
import org.fedai.nostr.ClientMessage;
import org.fedai.nostr.UnsignedEvent;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RelayCommandTest {

    @TempDir
    Path dir;

    @Test
    void relayIsASubcommandOfFedai() {
        assertThat(FedaiCommand.commandLine().getSubcommands()).containsKey("relay");
    }

    @Test
    void printsItsUrlOnceListeningServesAndStops() throws Exception {
        RelayCommand command = new RelayCommand();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> cli.execute("--port", "0", "--db", dir.resolve("r.db").toString()));

        String url = await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().strip(),
                s -> s.startsWith("ws://127.0.0.1:"));
        assertThat(url).matches("ws://127\\.0\\.0\\.1:\\d+");

        CountDownLatch ok = new CountDownLatch(1);
        WebSocketClient client = new WebSocketClient(URI.create(url)) {
            @Override
            public void onOpen(ServerHandshake h) {
            }

            @Override
            public void onMessage(String message) {
                if (message.startsWith("[\"OK\"") && message.contains("true")) {
                    ok.countDown();
                }
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
            }

            @Override
            public void onError(Exception ex) {
            }
        };
        assertThat(client.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        client.send(Nip01Messages.toJson(new ClientMessage.Publish(
                EventSigner.sign(UnsignedEvent.of(1, "via the cli", java.util.List.of()), KeyPair.generate()))));
        assertThat(ok.await(10, TimeUnit.SECONDS)).isTrue();
        client.closeBlocking();

        command.stop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }
}
