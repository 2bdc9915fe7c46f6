package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.ProtocolFixtures.CLIENT;
import static org.fedai.protocol.ProtocolFixtures.NODE;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.ROUTER;
import static org.fedai.protocol.ProtocolFixtures.open;
import static org.fedai.protocol.ProtocolFixtures.resealed;
import static org.fedai.protocol.ProtocolFixtures.spec;
import static org.fedai.protocol.ProtocolFixtures.texts;

import java.util.List;
import java.util.Map;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobRequestCodecTest {

    private final Event specEvent = EventSigner.sign(JobRequestCodec.encode(spec(), CLIENT, ROUTER.publicKey(), NOW),
            CLIENT);
    private final JobRequest.Input input = new JobRequest.Input(specEvent.id(), texts(), Map.of("k", "v"), NOW + 300);
    private final Event inputEvent = EventSigner.sign(JobRequestCodec.encode(input, CLIENT, NODE.publicKey(), NOW),
            CLIENT);

    private static Reason reasonOf(Event e, KeyPair recipient) {
        return switch (JobRequestCodec.decode(e, recipient, NOW)) {
            case Decoded.Rejected<JobRequest> r -> r.rejection().reason();
            case Decoded.Accepted<JobRequest> a -> null;
        };
    }

    @Test
    void emptyContentIsUndecryptable() {
        Event empty = EventSigner.sign(new UnsignedEvent(NOW, 4400, specEvent.tags(), ""), CLIENT);
        assertThat(reasonOf(empty, ROUTER)).isEqualTo(Reason.UNDECRYPTABLE);
    }

    @Test
    void anotherKindIsRejected() {
        Event other = EventSigner.sign(new UnsignedEvent(NOW, 4401, specEvent.tags(), specEvent.content()), CLIENT);
        assertThat(reasonOf(other, ROUTER)).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void specRoundTripsForTheRouterOnly() {
        assertThat(JobRequestCodec.decode(specEvent, ROUTER, NOW).orElseThrow()).isEqualTo(spec());
        assertThat(reasonOf(specEvent, NODE)).isEqualTo(Reason.NOT_FOR_US);
        assertThat(KindSchemas.violations(specEvent, open(specEvent, ROUTER))).isEmpty();
    }

    @Test
    void aSpecSaysItPaysQuotedInvoicesOnlyWhenItDoesAndOnlyAsABoolean() {
        JobRequest.Spec paying = spec().payingQuotedInvoices(true);
        Event e = EventSigner.sign(JobRequestCodec.encode(paying, CLIENT, ROUTER.publicKey(), NOW), CLIENT);
        assertThat(JobRequestCodec.decode(e, ROUTER, NOW).orElseThrow()).isEqualTo(paying);
        assertThat(KindSchemas.violations(e, open(e, ROUTER))).isEmpty();
        assertThat(open(specEvent, ROUTER)).doesNotContain("pays_quoted_invoices"); // absent when false, as it was
        Event notBoolean = resealed(e, CLIENT, ROUTER, c -> c.replace("\"pays_quoted_invoices\":true",
                "\"pays_quoted_invoices\":1"));
        assertThat(reasonOf(notBoolean, ROUTER)).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void anEarlyInputRoundTripsForAtMostEightNodesAndSmallInputsOnly() {
        EarlyInput early = EarlyInput.seal(texts(), Map.of(), List.of(NODE.publicKey()), CLIENT);
        JobRequest.Spec withInput = spec().withEarlyInput(early);
        Event e = EventSigner.sign(JobRequestCodec.encode(withInput, CLIENT, ROUTER.publicKey(), NOW), CLIENT);
        assertThat(JobRequestCodec.decode(e, ROUTER, NOW).orElseThrow()).isEqualTo(withInput);
        assertThat(KindSchemas.violations(e, open(e, ROUTER))).isEmpty();
        Map<String, String> nine = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 9; i++) {
            nine.put(KeyPair.generate().publicKey(), "x");
        }
        Event tooMany = EventSigner.sign(JobRequestCodec.encode(spec().withEarlyInput(new EarlyInput("c", nine)), CLIENT,
                ROUTER.publicKey(), NOW), CLIENT);
        assertThat(reasonOf(tooMany, ROUTER)).isEqualTo(Reason.MALFORMED_CONTENT);
        Event notAKey = resealed(e, CLIENT, ROUTER, c -> c.replace(NODE.publicKey(), "node"));
        assertThat(reasonOf(notAKey, ROUTER)).isEqualTo(Reason.MALFORMED_CONTENT);
        Event large = resealed(e, CLIENT, ROUTER, c -> c.replaceFirst("\"input_bytes\":\\d+", "\"input_bytes\":20000"));
        assertThat(reasonOf(large, ROUTER)).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void freeSpecRoundTripsOnlyWithZeroMaxPrice() {
        JobRequest.Spec s = spec();
        JobRequest.Spec free = new JobRequest.Spec(s.model(), s.task(), s.inputSha256(), s.inputBytes(), s.units(), 0,
                s.constraints(), PaymentTiming.FREE, s.deliverBy(), s.expiresAt());
        Event e = EventSigner.sign(JobRequestCodec.encode(free, CLIENT, ROUTER.publicKey(), NOW), CLIENT);
        assertThat(JobRequestCodec.decode(e, ROUTER, NOW).orElseThrow()).isEqualTo(free);
        assertThat(KindSchemas.violations(e, open(e, ROUTER))).isEmpty();
        Event priced = resealed(specEvent, CLIENT, ROUTER, c -> c.replace("\"timing\":\"before\"",
                "\"timing\":\"free\""));
        assertThat(reasonOf(priced, ROUTER)).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void inputRoundTripsAndMatchesTheSpecsCommitment() {
        JobRequest.Input decoded = (JobRequest.Input) JobRequestCodec.decode(inputEvent, NODE, NOW).orElseThrow();
        assertThat(decoded).isEqualTo(input);
        assertThat(decoded.commitment()).isEqualTo(spec().inputSha256());
        assertThat(KindSchemas.violations(inputEvent, open(inputEvent, NODE))).isEmpty();
    }

    @Test
    void commitmentBindsOrderAndBoundaries() {
        assertThat(JobRequest.commitmentOf(List.of("ab", "c"))).isNotEqualTo(JobRequest.commitmentOf(List.of("a", "bc")))
                .isNotEqualTo(JobRequest.commitmentOf(List.of("c", "ab")));
    }

    @Test
    void contentSealedForSomeoneElseIsUndecryptable() {
        // p names the router, but the payload was sealed to another key
        String sealedElsewhere = SealedContent.seal("{\"type\":\"spec\"}", CLIENT, NODE.publicKey());
        Event e = EventSigner.sign(new UnsignedEvent(NOW, 4400, specEvent.tags(), sealedElsewhere), CLIENT);
        assertThat(reasonOf(e, ROUTER)).isEqualTo(Reason.UNDECRYPTABLE);
    }

    @Test
    void expiredRequest() {
        assertThat(JobRequestCodec.decode(specEvent, ROUTER, NOW + 301).isAccepted()).isFalse();
        assertThat(reasonOf(specEvent, ROUTER)).isNull();
    }

    @Test
    void oversizedInputIsRefusedWithAReason() {
        Event big = resealed(inputEvent, CLIENT, NODE,
                s -> s.replace("the cat sat", "x".repeat(JobRequestCodec.MAX_INPUT_BYTES)));
        assertThat(reasonOf(big, NODE)).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void inputMustNameTheJobOfItsETag() {
        Event mismatched = resealed(inputEvent, CLIENT, NODE, s -> s.replace(specEvent.id(), "ab".repeat(32)));
        assertThat(reasonOf(mismatched, NODE)).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown type          | \"type\":\"spec\"       | \"type\":\"bribe\"",
        "zero units            | \"units\":2             | \"units\":0",
        "bad commitment        | \"input_sha256\":\"     | \"input_sha256\":\"zz",
        "unknown timing        | \"timing\":\"before\"   | \"timing\":\"never\"",
        "bad deny key          | \"deny_nodes\":[\"      | \"deny_nodes\":[\"x",
    })
    void malformedSpecIsRejected(String name, String from, String to) {
        assertThat(open(specEvent, ROUTER)).contains(from);
        assertThat(reasonOf(resealed(specEvent, CLIENT, ROUTER, s -> s.replace(from, to)), ROUTER)).as(name)
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void oversizedSpecIsRefused() {
        Event e = resealed(specEvent, CLIENT, ROUTER, s -> s.replace("\"input_bytes\":26", "\"input_bytes\":40000"));
        assertThat(reasonOf(e, ROUTER)).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void passedDeadlineIsExpired() {
        Event e = resealed(specEvent, CLIENT, ROUTER,
                s -> s.replace("\"deliver_by\":" + (NOW + 600), "\"deliver_by\":" + (NOW - 1)));
        assertThat(reasonOf(e, ROUTER)).isEqualTo(Reason.EXPIRED);
    }
}
