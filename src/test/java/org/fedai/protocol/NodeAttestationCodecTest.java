package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.ProtocolFixtures.NODE;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.replacing;
import static org.fedai.protocol.ProtocolFixtures.sign;
import static org.fedai.protocol.ProtocolFixtures.withContent;
import static org.fedai.protocol.ProtocolFixtures.withTags;
import static org.fedai.protocol.ProtocolFixtures.without;

import java.util.Map;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeAttestationCodecTest {

    static final NodeAttestation SEEN = new NodeAttestation(NODE.publicKey(), 312.5, 0.95, 2, 40, 0.8,
            Map.of("embedding_texts_per_s", 210.0), NOW + 3600);

    private final Event valid = sign(NodeAttestationCodec.encode(SEEN, NOW));

    private static Reason reasonOf(Event e) {
        return switch (NodeAttestationCodec.decode(e, NOW)) {
            case Decoded.Rejected<NodeAttestation> r -> r.rejection().reason();
            case Decoded.Accepted<NodeAttestation> a -> null;
        };
    }

    @Test
    void emptyContentIsRejected() {
        assertThat(reasonOf(withContent(valid, ""))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void anotherKindIsRejected() {
        assertThat(reasonOf(sign(new UnsignedEvent(NOW, 31402, valid.tags(), valid.content()))))
                .isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void roundTripsAndConformsToSchema() {
        assertThat(NodeAttestationCodec.decode(valid, NOW).orElseThrow()).isEqualTo(SEEN);
        assertThat(KindSchemas.violations(valid)).isEmpty();
    }

    @Test
    void identifierMustBeTheNodeAndMatchItsPTag() {
        assertThat(reasonOf(withTags(valid, replacing(valid, "d", "node-1")))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reasonOf(withTags(valid, replacing(valid, "p", KeyPair.generate().publicKey()))))
                .isEqualTo(Reason.INCONSISTENT);
        assertThat(reasonOf(withTags(valid, without(valid, "d")))).isEqualTo(Reason.MISSING_TAG);
    }

    @Test
    void expiredOrTooFarAhead() {
        assertThat(reasonOf(withTags(valid, replacing(valid, "expiration", Long.toString(NOW)))))
                .isEqualTo(Reason.EXPIRED);
        assertThat(reasonOf(withTags(valid, replacing(valid, "expiration", Long.toString(NOW + 8 * 86_400)))))
                .isEqualTo(Reason.MALFORMED_TAG);
    }

    @Test
    void moreTimeoutsThanJobsIsInconsistent() {
        assertThat(reasonOf(withContent(valid, valid.content().replace("\"timeouts\":2", "\"timeouts\":41"))))
                .isEqualTo(Reason.INCONSISTENT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "success over one      | \"success_rate\":0.95  | \"success_rate\":1.5",
        "negative latency      | \"ewma_latency_ms\":312.5 | \"ewma_latency_ms\":-1",
        "weight over one       | \"routing_weight\":0.8 | \"routing_weight\":2",
        "negative timeouts     | \"timeouts\":2         | \"timeouts\":-2",
        "text benchmark        | 210.0                  | \"fast\"",
        "no jobs observed      | \"jobs_observed\"      | \"jobs\"",
    })
    void malformedContentIsRejectedWithItsReason(String name, String from, String to) {
        assertThat(valid.content()).contains(from);
        assertThat(reasonOf(withContent(valid, valid.content().replace(from, to)))).as(name)
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }
}
