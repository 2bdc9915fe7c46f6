package org.fedai.protocol.nip90;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.nip90.Nip90RequestCodecTest.CUSTOMER;
import static org.fedai.protocol.nip90.Nip90RequestCodecTest.GATEWAY;
import static org.fedai.protocol.nip90.Nip90RequestCodecTest.NOW;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;

/** 7000 feedback, 6xxx results and NIP-89 handlers: what the gateway sends, as a customer reads it back. */
class Nip90AnswerCodecsTest {

    private static Nip90Request request(Nip90Encryption scheme) {
        return request(scheme, "a cat");
    }

    private static Nip90Request request(Nip90Encryption scheme, String text) {
        Event e = EventSigner.sign(Nip90RequestCodec.encode(5700, List.of(Nip90Input.text(text)), Map.of(), "",
                OptionalLong.empty(), List.of(), List.of(GATEWAY.publicKey()), scheme, CUSTOMER, NOW), CUSTOMER);
        return Nip90RequestCodec.decode(e, GATEWAY, NOW).orElseThrow();
    }

    @Test
    void paymentRequiredCarriesTheInvoiceInTheClear() {
        Nip90Request r = request(Nip90Encryption.NIP44);
        Event e = EventSigner.sign(Nip90FeedbackCodec.encode(new Nip90Feedback(r.id(), r.customer(),
                Nip90Status.PAYMENT_REQUIRED, "pay", OptionalLong.of(800), "lnbcrt8n1x", "partial text"), r, GATEWAY,
                NOW), GATEWAY);
        assertThat(e.tags()).contains(List.of("status", "payment-required", "pay"), List.of("e", r.id()),
                List.of("p", CUSTOMER.publicKey()), List.of("amount", "800", "lnbcrt8n1x"), List.of("encrypted"));
        assertThat(e.content()).doesNotContain("partial text");
        Nip90Feedback f = Nip90FeedbackCodec.decode(e, CUSTOMER).orElseThrow();
        assertThat(f.status()).isEqualTo(Nip90Status.PAYMENT_REQUIRED);
        assertThat(f.bolt11()).isEqualTo("lnbcrt8n1x");
        assertThat(f.amountMsat()).hasValue(800);
        assertThat(f.content()).isEqualTo("partial text");
    }

    @Test
    void feedbackMissingItsTagsOrWithAnUnknownStatusIsRejected() {
        Event noStatus = EventSigner.sign(new UnsignedEvent(NOW, 7000, List.of(List.of("e", "ab"), List.of("p", "cd")),
                ""), GATEWAY);
        Event unknown = EventSigner.sign(new UnsignedEvent(NOW, 7000, List.of(List.of("status", "thinking"),
                List.of("e", "ab"), List.of("p", "cd")), ""), GATEWAY);
        Event badAmount = EventSigner.sign(new UnsignedEvent(NOW, 7000, List.of(List.of("status", "success"),
                List.of("e", "ab"), List.of("p", "cd"), List.of("amount", "lots")), ""), GATEWAY);
        Event hugeAmount = EventSigner.sign(new UnsignedEvent(NOW, 7000, List.of(List.of("status", "success"),
                List.of("e", "ab"), List.of("p", "cd"), List.of("amount", "99999999999999999999")), ""), GATEWAY);
        assertThat(reason(Nip90FeedbackCodec.decode(hugeAmount, CUSTOMER))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reason(Nip90FeedbackCodec.decode(noStatus, CUSTOMER))).isEqualTo(Reason.MISSING_TAG);
        assertThat(reason(Nip90FeedbackCodec.decode(unknown, CUSTOMER))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reason(Nip90FeedbackCodec.decode(badAmount, CUSTOMER))).isEqualTo(Reason.MALFORMED_TAG);
    }

    @Test
    void aPlainResultCarriesTheRequestItsInputsAndTheAmount() {
        Nip90Request r = request(Nip90Encryption.NONE);
        Event e = EventSigner.sign(Nip90ResultCodec.encode("[[0.1]]", OptionalLong.of(800), "", r, GATEWAY, NOW),
                GATEWAY);
        assertThat(e.kind()).isEqualTo(6700);
        assertThat(e.tags()).contains(List.of("request", r.requestJson()), List.of("i", "a cat", "text"),
                List.of("amount", "800"));
        Nip90Result result = Nip90ResultCodec.decode(e, CUSTOMER).orElseThrow();
        assertThat(result.requestId()).isEqualTo(r.id());
        assertThat(result.content()).isEqualTo("[[0.1]]");
        assertThat(result.encryption()).isEqualTo(Nip90Encryption.NONE);
    }

    @Test
    void anEncryptedRequestsResultIsSealedTheSameWayAndHidesItsInputs() {
        for (Nip90Encryption scheme : List.of(Nip90Encryption.NIP04, Nip90Encryption.NIP44)) {
            Nip90Request r = request(scheme);
            Event e = EventSigner.sign(Nip90ResultCodec.encode("[[0.1]]", OptionalLong.of(800), "", r, GATEWAY, NOW),
                    GATEWAY);
            assertThat(e.content()).isNotEqualTo("[[0.1]]");
            assertThat(e.tags()).noneMatch(t -> t.get(0).equals("i")).contains(List.of("encrypted"));
            Nip90Result result = Nip90ResultCodec.decode(e, CUSTOMER).orElseThrow();
            assertThat(result.encryption()).isEqualTo(scheme);
            assertThat(result.content()).isEqualTo("[[0.1]]");
        }
    }

    @Test
    void aResultWhoseRequestTagIsAnotherEventIsInconsistent() {
        Nip90Request r = request(Nip90Encryption.NONE);
        Nip90Request other = request(Nip90Encryption.NONE, "a dog");
        Event e = EventSigner.sign(new UnsignedEvent(NOW, 6700, List.of(List.of("request", other.requestJson()),
                List.of("e", r.id()), List.of("p", CUSTOMER.publicKey())), "x"), GATEWAY);
        assertThat(reason(Nip90ResultCodec.decode(e, CUSTOMER))).isEqualTo(Reason.INCONSISTENT);
        Event wrongKind = EventSigner.sign(new UnsignedEvent(NOW, 7000, List.of(), ""), GATEWAY);
        assertThat(reason(Nip90ResultCodec.decode(wrongKind, CUSTOMER))).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void aHandlerRoundTrips() {
        Nip89Handler h = new Nip89Handler("node-a", List.of(5700, 5701), "node-a", "a fedai node",
                Map.of(5700, new Nip89Handler.Price(800, "text")), "ab".repeat(32), "");
        Event e = EventSigner.sign(Nip89HandlerCodec.encode(h, NOW), GATEWAY);
        assertThat(e.kind()).isEqualTo(31990);
        assertThat(e.tags()).contains(List.of("d", "node-a"), List.of("k", "5700"), List.of("k", "5701"));
        assertThat(Nip89HandlerCodec.decode(e).orElseThrow()).isEqualTo(h);
        Event rec = EventSigner.sign(Nip89HandlerCodec.encodeRecommendation(5700, GATEWAY.publicKey(), "node-a",
                "ws://127.0.0.1:7447", NOW), CUSTOMER);
        assertThat(rec.tags()).contains(List.of("d", "5700"));
    }

    @Test
    void aHandlerWithoutDOrWithABadKindIsRejected() {
        Event noD = EventSigner.sign(new UnsignedEvent(NOW, 31990, List.of(List.of("k", "5700")), "{}"), GATEWAY);
        Event badK = EventSigner.sign(new UnsignedEvent(NOW, 31990, List.of(List.of("d", "x"), List.of("k", "five")),
                "{}"), GATEWAY);
        Event notJson = EventSigner.sign(new UnsignedEvent(NOW, 31990, List.of(List.of("d", "x")), "nope"), GATEWAY);
        assertThat(reason(Nip89HandlerCodec.decode(noD))).isEqualTo(Reason.MISSING_TAG);
        assertThat(reason(Nip89HandlerCodec.decode(badK))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reason(Nip89HandlerCodec.decode(notJson))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    private static <T> Reason reason(Decoded<T> d) {
        return d instanceof Decoded.Rejected<T> r ? r.rejection().reason() : null;
    }
}
