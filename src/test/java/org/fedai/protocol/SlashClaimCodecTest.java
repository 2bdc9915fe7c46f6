package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.ProtocolFixtures.NODE;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.ROUTER;
import static org.fedai.protocol.ProtocolFixtures.replacing;

import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlashClaimCodecTest {

    static final String JOB = "ab".repeat(32);
    static final SlashClaim CLAIM = new SlashClaim(NODE.publicKey(), SlashClaim.Reason.NON_DELIVERY,
            List.of("01".repeat(32), "02".repeat(32)), JOB, "", "accepted, paid, silent");

    private final Event valid = signed(SlashClaimCodec.encode(CLAIM, NOW));

    private static Event signed(UnsignedEvent u) {
        return EventSigner.sign(u, ROUTER);
    }

    private static Event with(Event e, List<List<String>> tags, String content) {
        return signed(new UnsignedEvent(e.createdAt(), e.kind(), tags, content));
    }

    private static Reason reasonOf(Event e) {
        return switch (SlashClaimCodec.decode(e)) {
            case Decoded.Rejected<SlashClaim> r -> r.rejection().reason();
            case Decoded.Accepted<SlashClaim> a -> null;
        };
    }

    @Test
    void emptyContentIsRejected() {
        assertThat(reasonOf(with(valid, valid.tags(), ""))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void anotherKindIsRejected() {
        assertThat(reasonOf(signed(new UnsignedEvent(NOW, 4408, valid.tags(), valid.content()))))
                .isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void roundTripsAndConformsToSchema() {
        assertThat(SlashClaimCodec.decode(valid).orElseThrow()).isEqualTo(CLAIM);
        assertThat(KindSchemas.violations(valid)).isEmpty();
        SlashClaim lie = new SlashClaim(NODE.publicKey(), SlashClaim.Reason.MISREPRESENTATION,
                List.of("03".repeat(32)), "", "embedding_texts_per_s", "");
        Event e = signed(SlashClaimCodec.encode(lie, NOW));
        assertThat(SlashClaimCodec.decode(e).orElseThrow()).isEqualTo(lie);
        assertThat(KindSchemas.violations(e)).isEmpty();
    }

    @Test
    void aConversationKeyRoundTripsOnATamperingClaimOnly() {
        SlashClaim revealed = new SlashClaim(NODE.publicKey(), SlashClaim.Reason.TAMPERING, List.of("03".repeat(32)),
                JOB, "", "", "0f".repeat(32));
        Event e = signed(SlashClaimCodec.encode(revealed, NOW));
        assertThat(SlashClaimCodec.decode(e).orElseThrow()).isEqualTo(revealed);
        assertThat(KindSchemas.violations(e)).isEmpty();
        assertThat(reasonOf(with(valid, valid.tags(), valid.content().replace("}",
                ",\"conversation_key\":\"" + "0f".repeat(32) + "\"}")))).isEqualTo(Reason.INCONSISTENT);
        assertThat(reasonOf(with(e, e.tags(), e.content().replace("0f".repeat(32), "xyz"))))
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void aClaimNeedsEvidence() {
        List<List<String>> none = valid.tags().stream().filter(t -> !t.get(0).equals("e")).toList();
        assertThat(reasonOf(with(valid, none, valid.content()))).isEqualTo(Reason.MISSING_TAG);
        List<List<String>> bad = new ArrayList<>(valid.tags());
        bad.add(List.of("e", "not-an-id"));
        assertThat(reasonOf(with(valid, bad, valid.content()))).isEqualTo(Reason.MALFORMED_TAG);
        List<List<String>> many = new ArrayList<>(valid.tags());
        for (int i = 0; i < SlashClaimCodec.MAX_EVIDENCE; i++) {
            many.add(List.of("e", String.format("%064x", i + 10)));
        }
        assertThat(reasonOf(with(valid, many, valid.content()))).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void unknownReasonOrAccusedIsMalformed() {
        assertThat(reasonOf(with(valid, replacing(valid, "reason", "slow"), valid.content())))
                .isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reasonOf(with(valid, replacing(valid, "p", "xyz"), valid.content())))
                .isEqualTo(Reason.MALFORMED_TAG);
    }

    @Test
    void aKeyCannotAccuseItself() {
        assertThat(reasonOf(with(valid, replacing(valid, "p", ROUTER.publicKey()), valid.content())))
                .isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void detailOverTheLimitIsTooLarge() {
        String content = valid.content().replace("accepted, paid, silent", "x".repeat(1025));
        assertThat(reasonOf(with(valid, valid.tags(), content))).isEqualTo(Reason.TOO_LARGE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no job for non-delivery  | non_delivery",
        "no job for tampering     | tampering",
        "no job for a refusal     | refused_accepted_job",
        "no benchmark named       | misrepresentation",
    })
    void missingReasonFieldsAreMalformed(String name, String reason) {
        String content = "{\"detail\":\"x\"}";
        assertThat(reasonOf(with(valid, replacing(valid, "reason", reason), content))).as(name)
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }
}
