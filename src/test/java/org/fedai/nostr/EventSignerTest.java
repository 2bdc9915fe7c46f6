package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventSignerTest {

    @Test
    void signedEventVerifiesAndSurvivesJsonRoundTrip() throws Exception {
        KeyPair keys = KeyPair.generate();
        Event event = EventSigner.sign(new UnsignedEvent(1_700_000_000L, 1,
                List.of(List.of("t", "fedai"), List.of("e", "x\"y\\z\n")), "héllo 👋\u2028\u0001"), keys);

        assertThat(EventVerifier.check(event)).isEqualTo(EventCheck.VALID);
        Event parsed = EventJson.parse(EventJson.toJson(event));
        assertThat(parsed).isEqualTo(event);
        assertThat(EventVerifier.check(parsed)).isEqualTo(EventCheck.VALID);
    }

    @Test
    void tamperedContentFailsIdCheck() {
        Event event = EventSigner.sign(UnsignedEvent.of(1, "a", List.of()), KeyPair.generate());
        Event tampered = new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), "b",
                event.sig());
        assertThat(EventVerifier.check(tampered)).isEqualTo(EventCheck.ID_MISMATCH);
    }

    @Test
    void signatureByAnotherKeyFails() {
        Event event = EventSigner.sign(UnsignedEvent.of(1, "a", List.of()), KeyPair.generate());
        String other = KeyPair.generate().publicKey();
        String id = EventSigner.id(other, event.createdAt(), event.kind(), event.tags(), event.content());
        Event forged = new Event(id, other, event.createdAt(), event.kind(), event.tags(), event.content(), event.sig());
        assertThat(EventVerifier.check(forged)).isEqualTo(EventCheck.BAD_SIGNATURE);
    }

    @Test
    void canonicalSerializationMatchesJsonStringify() {
        // JSON.stringify([0,"pk",1,2,[["a","\u0001\u001f"]],"\"\\\b\f\n\r\t\u2028\ud800"]) in node
        byte[] bytes = CanonicalJson.serialize("pk", 1, 2, List.of(List.of("a", "\u0001\u001f")),
                "\"\\\b\f\n\r\t\u2028\ud800");
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("[0,\"pk\",1,2,[[\"a\",\"\\u0001\\u001f\"]],\"\\\"\\\\\\b\\f\\n\\r\\t\u2028\\ud800\"]");
    }
}
