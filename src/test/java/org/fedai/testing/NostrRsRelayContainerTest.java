package org.fedai.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.RelayMessage;
import org.fedai.nostr.UnsignedEvent;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * fedai's events against scsibug's nostr-rs-relay (Rust, SQLite), run by Testcontainers. Needs a Docker engine:
 * without one the whole class is reported as skipped, never failed.
 */
@Testcontainers(disabledWithoutDocker = true)
@ProcessTest
class NostrRsRelayContainerTest {

    /** Pinned: a relay upgrade should be a visible change, not a surprise in CI. */
    static final DockerImageName IMAGE = DockerImageName.parse("scsibug/nostr-rs-relay:0.10.0");
    static final int RELAY_PORT = 8080;

    @Container
    static final GenericContainer<?> RELAY = new GenericContainer<>(IMAGE)
            .withExposedPorts(RELAY_PORT)
            .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofSeconds(90)));

    private static URI url() {
        return URI.create("ws://" + RELAY.getHost() + ":" + RELAY.getMappedPort(RELAY_PORT));
    }

    @Test
    void acceptsAnEventSignedByFedaiAndReturnsItIntact() throws Exception {
        KeyPair keys = KeyPair.generate();
        Event event = EventSigner.sign(new UnsignedEvent(System.currentTimeMillis() / 1000, 1,
                List.of(List.of("t", "fedai"), List.of("e", "comma, \"quote\" \\ backslash")),
                ThirdPartyRelayTest.hardContent()), keys);

        try (RawRelayClient client = RawRelayClient.connect(url())) {
            RelayMessage.Ok ok = client.publish(event);
            assertThat(ok.accepted()).as("OK message: %s", ok.message()).isTrue();

            List<Event> back = client.query("by-id", Filter.builder().ids(event.id()).build());
            assertThat(back).containsExactly(event);
            assertThat(EventVerifier.check(back.get(0))).isEqualTo(EventCheck.VALID);
        }
    }

    @Test
    void rejectsAnEventWithABrokenSignature() throws Exception {
        Event signed = EventSigner.sign(UnsignedEvent.of(1, "original", List.of()), KeyPair.generate());
        String flipped = (signed.sig().charAt(0) == '0' ? "1" : "0") + signed.sig().substring(1);
        Event forged = new Event(signed.id(), signed.pubkey(), signed.createdAt(), signed.kind(), signed.tags(),
                signed.content(), flipped);

        try (RawRelayClient client = RawRelayClient.connect(url())) {
            RelayMessage.Ok ok = client.publish(forged);
            assertThat(ok.accepted()).isFalse();
            assertThat(client.query("forged", Filter.builder().ids(signed.id()).build())).isEmpty();
        }
    }
}
