package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.manifest;
import static org.fedai.protocol.ProtocolFixtures.replacing;
import static org.fedai.protocol.ProtocolFixtures.sign;
import static org.fedai.protocol.ProtocolFixtures.withContent;
import static org.fedai.protocol.ProtocolFixtures.withTags;
import static org.fedai.protocol.ProtocolFixtures.without;

import org.fedai.nostr.Event;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapabilityManifestCodecTest {

    private final Event valid = sign(CapabilityManifestCodec.encode(manifest(), NOW));

    private static Reason reasonOf(Event e) {
        return switch (CapabilityManifestCodec.decode(e, NOW)) {
            case Decoded.Rejected<CapabilityManifest> r -> r.rejection().reason();
            case Decoded.Accepted<CapabilityManifest> a -> null;
        };
    }

    @Test
    void emptyContentIsRejected() {
        assertThat(reasonOf(withContent(valid, ""))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void anotherKindIsRejected() {
        Event other = sign(new UnsignedEvent(NOW, 1, valid.tags(), valid.content()));
        assertThat(reasonOf(other)).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void roundTripsAndConformsToSchema() {
        assertThat(EventVerifier.isValid(valid)).isTrue();
        assertThat(CapabilityManifestCodec.decode(valid, NOW).orElseThrow()).isEqualTo(manifest());
        assertThat(KindSchemas.violations(valid)).isEmpty();
    }

    @Test
    void schemaCatchesWhatTheCodecRefuses() {
        assertThat(KindSchemas.violations(withTags(valid, without(valid, "d")))).isNotEmpty();
        assertThat(KindSchemas.violations(withContent(valid, valid.content().replace("regtest", "dogecoin"))))
                .isNotEmpty();
    }

    @Test
    void unknownContentFieldsAndTagsAreIgnored() {
        String extended = valid.content().replaceFirst("\\{", "{\"future_field\":{\"x\":1},");
        Event e = withTags(withContent(valid, extended), append(valid, "zz", "future"));
        assertThat(CapabilityManifestCodec.decode(e, NOW).orElseThrow()).isEqualTo(manifest());
    }

    @Test
    void missingDTag() {
        assertThat(reasonOf(withTags(valid, without(valid, "d")))).isEqualTo(Reason.MISSING_TAG);
    }

    @Test
    void malformedDTag() {
        assertThat(reasonOf(withTags(valid, replacing(valid, "d", "Node 1!")))).isEqualTo(Reason.MALFORMED_TAG);
    }

    @Test
    void missingExpiration() {
        assertThat(reasonOf(withTags(valid, without(valid, "expiration")))).isEqualTo(Reason.MISSING_TAG);
    }

    @Test
    void expired() {
        assertThat(reasonOf(withTags(valid, replacing(valid, "expiration", Long.toString(NOW - 1)))))
                .isEqualTo(Reason.EXPIRED);
    }

    @Test
    void expirationTooFarAhead() {
        String tooFar = Long.toString(NOW + CapabilityManifestCodec.MAX_LIFETIME_SECONDS + 1);
        assertThat(reasonOf(withTags(valid, replacing(valid, "expiration", tooFar)))).isEqualTo(Reason.MALFORMED_TAG);
    }

    @Test
    void unknownProtocolVersion() {
        assertThat(reasonOf(withTags(valid, replacing(valid, "v", "2")))).isEqualTo(Reason.UNSUPPORTED_VERSION);
    }

    @Test
    void modelTagsMustMatchContent() {
        assertThat(reasonOf(withTags(valid, without(valid, "m")))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void oversizedContent() {
        assertThat(reasonOf(withContent(valid, "x".repeat(CommonTags.MAX_EVENT_BYTES + 1))))
                .isEqualTo(Reason.TOO_LARGE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON            | \"software\":\"fedai/0.1.0\"      | {{",
        "content is an array | {\"software\"                     | [{\"software\"",
        "unknown role        | \"roles\":[\"inference\"]         | \"roles\":[\"miner\"]",
        "no roles            | \"roles\":[\"inference\"]         | \"roles\":[]",
        "negative price      | \"msat_per_unit\":1000            | \"msat_per_unit\":-5",
        "fractional price    | \"msat_per_unit\":1000            | \"msat_per_unit\":1.5",
        "undeclared model    | \"model\":\"all-minilm-l6-v2-q\"  | \"model\":\"gpt-9\"",
        "unknown unit        | \"unit\":\"text\"                 | \"unit\":\"hour\"",
        "bad lightning key   | \"lightning_pubkey\":\"02         | \"lightning_pubkey\":\"04",
        "unknown network     | \"network\":\"regtest\"           | \"network\":\"dogecoin\"",
        "no payment timing   | \"timing\":[\"before\"]           | \"timing\":[]",
        "unknown timing      | \"timing\":[\"before\"]           | \"timing\":[\"never\"]",
        "negative benchmark  | \"embedding_texts_per_s\":520.0   | \"embedding_texts_per_s\":-1",
    })
    void malformedContentIsRejectedWithItsReason(String name, String from, String to) {
        assertThat(valid.content()).contains(from);
        Event broken = withContent(valid, valid.content().replace(from, to));
        assertThat(reasonOf(broken)).as(name).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    private static java.util.List<java.util.List<String>> append(Event e, String... tag) {
        var tags = new java.util.ArrayList<>(e.tags());
        tags.add(java.util.List.of(tag));
        return tags;
    }
}
