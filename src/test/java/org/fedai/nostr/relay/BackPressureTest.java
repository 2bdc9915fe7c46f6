package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.nostr.relay.TestEvents.signed;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/** A subscriber that stops reading must not hold anyone up: it is cut off, the others get every event. */
@RelayTest
class BackPressureTest {

    @Test
    void aClientThatNeverReadsIsDisconnectedWhileOthersReceiveEverything() throws Exception {
        RelayLimits limits = RelayLimits.DEFAULTS.withMaxPendingOutbound(4).withRate(10_000, 10_000);
        KeyPair alice = KeyPair.generate();
        try (EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults().withLimits(limits),
                new InMemoryEventStore()).start();
                Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", relay.port()));
            handshake(stuck, relay.port());
            sendText(stuck.getOutputStream(), "[\"REQ\",\"stuck\",{\"kinds\":[1]}]");

            RelayTestClient reader = RelayTestClient.connect(relay.url());
            RelayTestClient writer = RelayTestClient.connect(relay.url());
            reader.query("fast", Filter.builder().kinds(1).build());
            await().atMost(RelayTestClient.WAIT).until(() -> relay.stats().connectionsOpen() == 3);

            List<Event> published = new ArrayList<>();
            String payload = "x".repeat(32 * 1024);
            // Enough data to fill the kernel's socket buffers many times over; stops as soon as the relay gives up.
            for (int i = 0; i < 1000 && relay.stats().slowClientsDisconnected() == 0; i++) {
                Event e = signed(alice, 1, System.currentTimeMillis() / 1000, payload + i);
                assertThat(writer.publish(e).accepted()).isTrue();
                published.add(e);
            }

            System.out.println("published " + published.size() + " events before the stuck client was cut off");
            assertThat(relay.stats().slowClientsDisconnected()).isEqualTo(1);
            assertThat(relay.stats().droppedOutbound()).isPositive();
            await().atMost(RelayTestClient.WAIT).until(() -> relay.stats().connectionsOpen() == 2);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> reader.eventsFor("fast").size() == published.size());
            assertThat(reader.eventsFor("fast")).containsExactlyElementsOf(published);
            reader.closeBlocking();
            writer.closeBlocking();
        }
    }

    private static void handshake(Socket socket, int port) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("handshake cut short: " + head);
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
    }

    /** One masked text frame, as RFC 6455 requires of clients. */
    private static void sendText(OutputStream out, String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length >= 126) {
            throw new IllegalArgumentException("keep test frames short");
        }
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(frame);
        out.flush();
    }
}
