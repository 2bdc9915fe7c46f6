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
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip01Messages;
import org.fedai.nostr.ClientMessage;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.EventListener;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.testing.RelayTest;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@RelayTest
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

    /** docs/embedded-relay.md, "Holding deliveries back": {@code fedai relay --delay-ms 100}. */
    @Test
    void withDelayMsEachLiveDeliveryWaitsThatLong() throws Exception {
        RelayCommand command = new RelayCommand();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> cli.execute("--port", "0", "--delay-ms", "100"));
        String url = await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().strip(),
                s -> s.startsWith("ws://127.0.0.1:"));

        try (RelayPool subscriber = new RelayPool(); RelayPool publisher = new RelayPool()) {
            subscriber.addRelay(url);
            publisher.addRelay(url);
            CountDownLatch live = new CountDownLatch(1);
            AtomicLong arrived = new AtomicLong();
            subscriber.subscribe(java.util.List.of(Filter.builder().kinds(1).build()), new EventListener() {
                @Override
                public void onEvent(Event event, String relayUrl) {
                    arrived.set(System.nanoTime());
                }

                @Override
                public void onEose(String relayUrl) {
                    live.countDown();
                }
            });
            assertThat(live.await(10, TimeUnit.SECONDS)).isTrue();
            long sent = System.nanoTime();
            publisher.publish(EventSigner.sign(UnsignedEvent.of(1, "held back", java.util.List.of()),
                    KeyPair.generate()), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> arrived.get() != 0);
            assertThat(arrived.get() - sent).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
        }
        command.stop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }
}
