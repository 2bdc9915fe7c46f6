package org.fedai.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.RelayMessage;
import org.fedai.nostr.UnsignedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** fedai's events against CodyTseng's nostr-relay (a relay that verifies ids and signatures itself). */
@ProcessTest
class ThirdPartyRelayTest {

    private static ThirdPartyRelay relay;

    @BeforeAll
    static void startRelay() throws Exception {
        if (ThirdPartyRelay.isAvailable()) {
            relay = ThirdPartyRelay.start();
        }
    }

    /** Per test, not in {@code @BeforeAll}: Surefire reports a class-level abort as zero tests, not as skips. */
    @BeforeEach
    void requireRelay() {
        ThirdPartyRelay.assumeAvailable();
    }

    @AfterAll
    static void stopRelay() {
        if (relay != null) {
            relay.close();
            assertThat(relay.isRunning()).as("relay process stopped by close()").isFalse();
        }
    }

    @Test
    void listensOnLoopbackWithTheAnnouncedPort() {
        assertThat(relay.url().getScheme()).isEqualTo("ws");
        assertThat(relay.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(relay.url().getPort()).isPositive();
        assertThat(relay.isRunning()).isTrue();
    }

    @Test
    void acceptsAnEventSignedByFedaiAndReturnsItIntact() throws Exception {
        KeyPair keys = KeyPair.generate();
        Event event = EventSigner.sign(new UnsignedEvent(1_763_000_000L, 1,
                List.of(List.of("t", "fedai"), List.of("e", "quote \" backslash \\ comma ,")),
                hardContent()), keys);

        try (RawRelayClient client = RawRelayClient.connect(relay.url())) {
            RelayMessage.Ok ok = client.publish(event);
            assertThat(ok.accepted()).as("OK message: %s", ok.message()).isTrue();

            List<Event> back = client.query("by-id", Filter.builder().ids(event.id()).build());
            assertThat(back).hasSize(1);
            assertThat(EventVerifier.check(back.get(0))).isEqualTo(EventCheck.VALID);
            assertThat(back.get(0)).isEqualTo(event);

            List<Event> byAuthor = client.query("by-author", Filter.builder().authors(keys.publicKey()).kinds(1).build());
            assertThat(byAuthor).containsExactly(event);
        }
    }

    @Test
    void rejectsAnEventWhoseContentWasChangedAfterSigning() throws Exception {
        Event signed = EventSigner.sign(UnsignedEvent.of(1, "original", List.of()), KeyPair.generate());
        Event tampered = new Event(signed.id(), signed.pubkey(), signed.createdAt(), signed.kind(), signed.tags(),
                "tampered", signed.sig());

        try (RawRelayClient client = RawRelayClient.connect(relay.url())) {
            RelayMessage.Ok ok = client.publish(tampered);
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.prefix()).isEqualTo("invalid");
            assertThat(client.query("tampered", Filter.builder().ids(signed.id()).build())).isEmpty();
        }
    }

    @Test
    void deliversALiveEventToAnOpenSubscription() throws Exception {
        KeyPair keys = KeyPair.generate();
        Event event = EventSigner.sign(UnsignedEvent.of(4400, "{\"job\":1}", List.of(List.of("p", keys.publicKey()))),
                keys);
        Filter forMe = Filter.builder().kinds(4400).tag('p', keys.publicKey()).build();
        try (RawRelayClient subscriber = RawRelayClient.connect(relay.url());
                RawRelayClient publisher = RawRelayClient.connect(relay.url())) {
            assertThat(subscriber.subscribe("live", forMe)).isEmpty();

            assertThat(publisher.publish(event).accepted()).isTrue();

            assertThat(subscriber.nextEvent("live")).isEqualTo(event);
        }
    }

    /** Every C0 control character, both JSON-sensitive quotes, a backslash, astral emoji and the JS line breaks. */
    static String hardContent() {
        List<String> parts = new ArrayList<>();
        for (char c = 0; c < 0x20; c++) {
            parts.add(String.valueOf(c));
        }
        parts.add("\"quoted\" \\back\\slash\\ é ü ß 日本語 👩‍🔬 🚀 \u2028 \u2029 \u007f \ufeff end");
        return String.join("|", parts);
    }
}
