package org.fedai.protocol.nip90;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip44;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;

/** The NIP-90 request codec, on the ladder: empty, unknown, valid both ways, each malformed case with its reason. */
class Nip90RequestCodecTest {

    static final long NOW = 1_800_000_000L;
    static final KeyPair CUSTOMER = KeyPair.generate();
    static final KeyPair GATEWAY = KeyPair.generate();

    static Event request(List<List<String>> tags) {
        return request(5700, tags, "");
    }

    static Event request(int kind, List<List<String>> tags, String content) {
        return EventSigner.sign(new UnsignedEvent(NOW, kind, tags, content), CUSTOMER);
    }

    static Reason reasonOf(Event e) {
        return switch (Nip90RequestCodec.decode(e, GATEWAY, NOW)) {
            case Decoded.Rejected<Nip90Request> r -> r.rejection().reason();
            case Decoded.Accepted<Nip90Request> a -> null;
        };
    }

    @Test
    void aRequestWithNoTagsDecodesWithNoInputs() {
        Nip90Request r = Nip90RequestCodec.decode(request(List.of()), GATEWAY, NOW).orElseThrow();
        assertThat(r.inputs()).isEmpty();
        assertThat(r.bidMsat()).isEmpty();
        assertThat(r.providers()).isEmpty();
    }

    @Test
    void unknownTagsAreIgnored() {
        Nip90Request r = Nip90RequestCodec.decode(request(List.of(List.of("x-color", "blue"), List.of("t", "ai"),
                List.of("i", "hi", "text"))), GATEWAY, NOW).orElseThrow();
        assertThat(r.inputs()).containsExactly(Nip90Input.text("hi"));
    }

    @Test
    void aPlainRequestRoundTrips() {
        Event e = EventSigner.sign(Nip90RequestCodec.encode(5050, List.of(new Nip90Input("capital of France?",
                "prompt", "", "")), Map.of("model", "llama", "max_tokens", "64"), "text/plain", OptionalLong.of(5000),
                List.of("ws://127.0.0.1:7447"), List.of(GATEWAY.publicKey()), Nip90Encryption.NONE, CUSTOMER, NOW),
                CUSTOMER);
        Nip90Request r = Nip90RequestCodec.decode(e, GATEWAY, NOW).orElseThrow();
        assertThat(r.kind()).isEqualTo(5050);
        assertThat(r.resultKind()).isEqualTo(6050);
        assertThat(r.customer()).isEqualTo(CUSTOMER.publicKey());
        assertThat(r.inputs()).containsExactly(new Nip90Input("capital of France?", "prompt", "", ""));
        assertThat(r.inputs().get(0).isText()).isTrue();
        assertThat(r.params()).containsEntry("model", "llama").containsEntry("max_tokens", "64");
        assertThat(r.output()).isEqualTo("text/plain");
        assertThat(r.bidMsat()).hasValue(5000);
        assertThat(r.relays()).containsExactly("ws://127.0.0.1:7447");
        assertThat(r.addressedTo(GATEWAY.publicKey())).isTrue();
        assertThat(r.encrypted()).isFalse();
    }

    @Test
    void encryptedRequestsOpenWithEitherSchemeAndRememberIt() {
        for (Nip90Encryption scheme : List.of(Nip90Encryption.NIP04, Nip90Encryption.NIP44)) {
            Event e = EventSigner.sign(Nip90RequestCodec.encode(5700, List.of(Nip90Input.text("secret text")),
                    Map.of("model", "m"), "", OptionalLong.of(7), List.of(), List.of(GATEWAY.publicKey()), scheme,
                    CUSTOMER, NOW), CUSTOMER);
            assertThat(e.tags()).noneMatch(t -> t.get(0).equals("i") || t.get(0).equals("param"));
            assertThat(e.content()).doesNotContain("secret text");
            Nip90Request r = Nip90RequestCodec.decode(e, GATEWAY, NOW).orElseThrow();
            assertThat(r.encryption()).isEqualTo(scheme);
            assertThat(r.inputs()).containsExactly(Nip90Input.text("secret text"));
            assertThat(r.params()).containsEntry("model", "m");
            assertThat(r.bidMsat()).hasValue(7);
        }
    }

    @Test
    void theLastOfDuplicateParamsWins() {
        Nip90Request r = Nip90RequestCodec.decode(request(List.of(List.of("param", "model", "a"),
                List.of("param", "model", "b"))), GATEWAY, NOW).orElseThrow();
        assertThat(r.params()).containsExactly(Map.entry("model", "b"));
    }

    @Test
    void aKindOutsideTheRangeIsRejected() {
        assertThat(reasonOf(request(1, List.of(), ""))).isEqualTo(Reason.WRONG_KIND);
        assertThat(reasonOf(request(6700, List.of(), ""))).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void malformedTagsAreRejectedWithTheirReason() {
        assertThat(reasonOf(request(List.of(List.of("i", "x"))))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reasonOf(request(List.of(List.of("i", "x", "pigeon"))))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reasonOf(request(List.of(List.of("param", "model"))))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reasonOf(request(List.of(List.of("bid", "ten"))))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reasonOf(request(List.of(List.of("bid", "-1"))))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reasonOf(request(List.of(List.of("bid", "9223372036854775808"))))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reasonOf(request(List.of(List.of("bid", "9223372036854775807"))))).isNull();
        assertThat(reasonOf(request(List.of(List.of("output"))))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reasonOf(request(List.of(List.of("expiration", "soon"))))).isEqualTo(Reason.MALFORMED_TAG);
    }

    @Test
    void anExpiredRequestIsRejected() {
        assertThat(reasonOf(request(List.of(List.of("expiration", Long.toString(NOW - 1)))))).isEqualTo(Reason.EXPIRED);
        assertThat(reasonOf(request(List.of(List.of("expiration", Long.toString(NOW + 60)))))).isNull();
    }

    @Test
    void oversizedRequestsAreRejected() {
        List<List<String>> many = new ArrayList<>();
        for (int i = 0; i <= Nip90RequestCodec.MAX_INPUTS; i++) {
            many.add(List.of("i", "t" + i, "text"));
        }
        assertThat(reasonOf(request(many))).isEqualTo(Reason.TOO_LARGE);
        assertThat(reasonOf(request(List.of(List.of("i", "x".repeat(Nip90RequestCodec.MAX_INPUT_BYTES + 1), "text")))))
                .isEqualTo(Reason.TOO_LARGE);
        assertThat(reasonOf(request(List.of(List.of("param", "k", "v".repeat(1025)))))).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void anEncryptedRequestForAnotherProviderIsNotForUs() {
        Event e = EventSigner.sign(Nip90RequestCodec.encode(5700, List.of(Nip90Input.text("x")), Map.of(), "",
                OptionalLong.empty(), List.of(), List.of(KeyPair.generate().publicKey()), Nip90Encryption.NIP44,
                CUSTOMER, NOW), CUSTOMER);
        assertThat(reasonOf(e)).isEqualTo(Reason.NOT_FOR_US);
    }

    @Test
    void encryptedContentThatDoesNotOpenOrIsNotTagsIsRejected() {
        List<List<String>> tags = List.of(List.of("p", GATEWAY.publicKey()), List.of("encrypted"));
        assertThat(reasonOf(request(5700, tags, "bm90IGEgcGF5bG9hZA=="))).isEqualTo(Reason.UNDECRYPTABLE);
        String notTags = Nip44.encrypt("{\"i\":1}", Nip44.conversationKey(CUSTOMER.secretKey(), GATEWAY.publicKey()));
        assertThat(reasonOf(request(5700, tags, notTags))).isEqualTo(Reason.MALFORMED_CONTENT);
        String mixed = Nip44.encrypt("[[\"i\", 1]]", Nip44.conversationKey(CUSTOMER.secretKey(), GATEWAY.publicKey()));
        assertThat(reasonOf(request(5700, tags, mixed))).isEqualTo(Reason.MALFORMED_CONTENT);
        assertThat(reasonOf(request(5700, List.of(List.of("encrypted")), ""))).isEqualTo(Reason.MALFORMED_TAG);
    }
}
