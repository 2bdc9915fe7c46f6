package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedai.protocol.ProtocolFixtures.NODE;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.replacing;
import static org.fedai.protocol.ProtocolFixtures.sign;
import static org.fedai.protocol.ProtocolFixtures.withContent;
import static org.fedai.protocol.ProtocolFixtures.withTags;
import static org.fedai.protocol.ProtocolFixtures.without;

import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;

class HeartbeatCodecTest {

    private final Heartbeat heartbeat = new Heartbeat("31400:" + NODE.publicKey() + ":node-1", 2, 1, 0.5, 30);
    private final Event valid = sign(HeartbeatCodec.encode(heartbeat, NOW));

    private static Reason reasonOf(Event e) {
        return switch (HeartbeatCodec.decode(e, NOW)) {
            case Decoded.Rejected<Heartbeat> r -> r.rejection().reason();
            case Decoded.Accepted<Heartbeat> a -> null;
        };
    }

    @Test
    void emptyContentIsRejected() {
        assertThat(reasonOf(withContent(valid, ""))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void anotherKindIsRejected() {
        assertThat(reasonOf(sign(new UnsignedEvent(NOW, 24401, valid.tags(), valid.content()))))
                .isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void roundTripsAndConformsToSchema() {
        assertThat(HeartbeatCodec.decode(valid, NOW).orElseThrow()).isEqualTo(heartbeat);
        assertThat(KindSchemas.violations(valid)).isEmpty();
    }

    @Test
    void addressMustExist() {
        assertThat(reasonOf(withTags(valid, without(valid, "a")))).isEqualTo(Reason.MISSING_TAG);
    }

    @Test
    void addressMustBeTheSignersOwn() {
        String someoneElse = "31400:" + KeyPair.generate().publicKey() + ":node-1";
        assertThat(reasonOf(withTags(valid, replacing(valid, "a", someoneElse)))).isEqualTo(Reason.MALFORMED_TAG);
    }

    @Test
    void addressMustNameAManifestOrAnnouncement() {
        String wrongKind = "1:" + NODE.publicKey() + ":node-1";
        assertThat(reasonOf(withTags(valid, replacing(valid, "a", wrongKind)))).isEqualTo(Reason.MALFORMED_TAG);
    }

    @Test
    void replayedOldHeartbeatIsStale() {
        Event old = sign(HeartbeatCodec.encode(heartbeat, NOW - HeartbeatCodec.MAX_CLOCK_SKEW_SECONDS - 1));
        assertThat(reasonOf(old)).isEqualTo(Reason.STALE);
    }

    @Test
    void loadOutOfRange() {
        assertThat(reasonOf(withContent(valid, valid.content().replace("\"load\":0.5", "\"load\":1.5"))))
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void negativeJobCount() {
        assertThat(reasonOf(withContent(valid, valid.content().replace("\"active_jobs\":2", "\"active_jobs\":-2"))))
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void intervalOutOfRange() {
        assertThat(reasonOf(withContent(valid, valid.content().replace("\"interval_s\":30", "\"interval_s\":1"))))
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void encoderRefusesOutOfRangeValues() {
        assertThatThrownBy(() -> new Heartbeat(heartbeat.address(), 0, 0, 2.0, 30))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
