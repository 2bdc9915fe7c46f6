package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.FlFixtures.COORDINATOR;
import static org.fedai.protocol.FlFixtures.OPEN;
import static org.fedai.protocol.FlFixtures.OUTSIDER;
import static org.fedai.protocol.FlFixtures.P1;
import static org.fedai.protocol.FlFixtures.P2;
import static org.fedai.protocol.FlFixtures.ROUND;
import static org.fedai.protocol.FlFixtures.edited;
import static org.fedai.protocol.FlFixtures.key;
import static org.fedai.protocol.FlFixtures.reason;
import static org.fedai.protocol.FlFixtures.withTag;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.open;

import java.util.List;
import java.util.Map;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.protocol.FlMessage.Enrollment;
import org.fedai.protocol.FlMessage.KeyShare;
import org.fedai.protocol.FlMessage.Member;
import org.fedai.protocol.FlMessage.Roster;
import org.fedai.protocol.FlMessage.Share;
import org.fedai.protocol.FlMessage.UnmaskRequest;
import org.fedai.protocol.FlMessage.UnmaskResponse;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;

class FlRoundCodecsTest {

    private static final String AGG = COORDINATOR.publicKey();

    private final Enrollment enrollment = new Enrollment(3, "p1", key(1), key(2));
    private final Event enrollmentEvent = EventSigner.sign(FlRoundCodecs.encodeEnrollment(enrollment, OPEN, AGG, NOW), P1);

    @Test
    void emptyEnrollmentIsMalformed() {
        assertThat(reason(FlRoundCodecs.decodeEnrollment(edited(enrollmentEvent, P1, s -> ""), OPEN)))
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void otherKindIsWrongKind() {
        assertThat(reason(FlRoundCodecs.decodeRoster(enrollmentEvent, OPEN))).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void enrollmentRoundTripsAndConformsToSchema() {
        assertThat(FlRoundCodecs.decodeEnrollment(enrollmentEvent, OPEN).orElseThrow()).isEqualTo(enrollment);
        assertThat(KindSchemas.violations(enrollmentEvent)).isEmpty();
    }

    @Test
    void roundAndTaskMismatches() {
        assertThat(reason(FlRoundCodecs.decodeEnrollment(enrollmentEvent, OPEN.withRound(4)))).isEqualTo(Reason.WRONG_ROUND);
        Event contentRound = edited(enrollmentEvent, P1, s -> s.replace("\"round\":3", "\"round\":2"));
        assertThat(reason(FlRoundCodecs.decodeEnrollment(contentRound, OPEN))).isEqualTo(Reason.INCONSISTENT);
        Event otherTask = withTag(enrollmentEvent, P1, "a", FlContext.taskAddress(AGG, "other"));
        assertThat(reason(FlRoundCodecs.decodeEnrollment(otherTask, OPEN))).isEqualTo(Reason.NOT_FOR_US);
        Event badRound = withTag(enrollmentEvent, P1, "round", "three");
        assertThat(reason(FlRoundCodecs.decodeEnrollment(badRound, OPEN))).isEqualTo(Reason.MALFORMED_TAG);
    }

    @Test
    void enrollmentMustNotReuseTheIdentityKey() {
        Event reuse = EventSigner.sign(FlRoundCodecs.encodeEnrollment(new Enrollment(3, "p1", P1.publicKey(), key(2)),
                OPEN, AGG, NOW), P1);
        assertThat(reason(FlRoundCodecs.decodeEnrollment(reuse, OPEN))).isEqualTo(Reason.INCONSISTENT);
        Event same = EventSigner.sign(FlRoundCodecs.encodeEnrollment(new Enrollment(3, "p1", key(2), key(2)),
                OPEN, AGG, NOW), P1);
        assertThat(reason(FlRoundCodecs.decodeEnrollment(same, OPEN))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void rosterRoundTripsAndRefusesDuplicatesAndBadThreshold() {
        Roster roster = new Roster(3, "g0", 2, List.of(new Member("p1", P1.publicKey(), key(1), key(2)),
                new Member("p2", P2.publicKey(), key(3), key(4))));
        Event e = EventSigner.sign(FlRoundCodecs.encodeRoster(roster, OPEN, NOW), COORDINATOR);
        assertThat(FlRoundCodecs.decodeRoster(e, OPEN).orElseThrow()).isEqualTo(roster);
        assertThat(KindSchemas.violations(e)).isEmpty();
        Event dup = edited(e, COORDINATOR, s -> s.replace("\"p2\"", "\"p1\""));
        assertThat(reason(FlRoundCodecs.decodeRoster(dup, OPEN))).isEqualTo(Reason.INCONSISTENT);
        Event threshold = edited(e, COORDINATOR, s -> s.replace("\"threshold\":2", "\"threshold\":3"));
        assertThat(reason(FlRoundCodecs.decodeRoster(threshold, OPEN))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void keyShareRoundTripsSealedAndChecksTheSender() {
        KeyShare share = new KeyShare(3, "p1", "p2", "AAECAwQFBgcICQoL", "c2VjcmV0");
        Event toAgg = EventSigner.sign(FlRoundCodecs.encodeKeyShare(share, ROUND, P1, AGG, NOW), P1);
        assertThat(FlRoundCodecs.decodeKeyShare(toAgg, ROUND, COORDINATOR, AGG).orElseThrow()).isEqualTo(share);
        assertThat(KindSchemas.violations(toAgg, open(toAgg, COORDINATOR))).isEmpty();
        Event forwarded = EventSigner.sign(FlRoundCodecs.encodeKeyShare(share, ROUND, COORDINATOR, P2.publicKey(), NOW),
                COORDINATOR);
        assertThat(FlRoundCodecs.decodeKeyShare(forwarded, ROUND, P2, AGG).orElseThrow()).isEqualTo(share);
        assertThat(reason(FlRoundCodecs.decodeKeyShare(forwarded, ROUND, P1, AGG))).isEqualTo(Reason.NOT_FOR_US);
        Event impostor = EventSigner.sign(FlRoundCodecs.encodeKeyShare(share, ROUND, OUTSIDER, AGG, NOW), OUTSIDER);
        assertThat(reason(FlRoundCodecs.decodeKeyShare(impostor, ROUND, COORDINATOR, AGG))).isEqualTo(Reason.NOT_ENROLLED);
        KeyShare toStranger = new KeyShare(3, "p1", "p9", "AAEC", "AAEC");
        Event stranger = EventSigner.sign(FlRoundCodecs.encodeKeyShare(toStranger, ROUND, P1, AGG, NOW), P1);
        assertThat(reason(FlRoundCodecs.decodeKeyShare(stranger, ROUND, COORDINATOR, AGG))).isEqualTo(Reason.NOT_ENROLLED);
        Event garbage = EventSigner.sign(new org.fedai.nostr.UnsignedEvent(NOW, toAgg.kind(), toAgg.tags(), "not sealed"), P1);
        assertThat(reason(FlRoundCodecs.decodeKeyShare(garbage, ROUND, COORDINATOR, AGG))).isEqualTo(Reason.UNDECRYPTABLE);
    }

    @Test
    void unmaskRequestRoundTripsAndRefusesOverlap() {
        UnmaskRequest req = new UnmaskRequest(3, "g0", List.of("p1", "p2"), List.of("p3"));
        Event e = EventSigner.sign(FlRoundCodecs.encodeUnmaskRequest(req, ROUND, NOW), COORDINATOR);
        assertThat(FlRoundCodecs.decodeUnmaskRequest(e, ROUND).orElseThrow()).isEqualTo(req);
        assertThat(KindSchemas.violations(e)).isEmpty();
        Event overlap = edited(e, COORDINATOR, s -> s.replace("[\"p3\"]", "[\"p2\"]"));
        assertThat(reason(FlRoundCodecs.decodeUnmaskRequest(overlap, ROUND))).isEqualTo(Reason.INCONSISTENT);
        Event noSurvivors = edited(e, COORDINATOR, s -> s.replace("[\"p1\",\"p2\"]", "[]"));
        assertThat(reason(FlRoundCodecs.decodeUnmaskRequest(noSurvivors, ROUND))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void unmaskResponseRoundTripsAndNeverRevealsBothShares() {
        UnmaskResponse resp = new UnmaskResponse(3, "p1", Map.of("p2", new Share(1, "0a1b")),
                Map.of("p3", new Share(1, "ff")));
        Event e = EventSigner.sign(FlRoundCodecs.encodeUnmaskResponse(resp, ROUND, P1, AGG, NOW), P1);
        assertThat(FlRoundCodecs.decodeUnmaskResponse(e, ROUND, COORDINATOR).orElseThrow()).isEqualTo(resp);
        assertThat(KindSchemas.violations(e, open(e, COORDINATOR))).isEmpty();
        UnmaskResponse both = new UnmaskResponse(3, "p1", Map.of("p2", new Share(1, "0a")), Map.of("p2", new Share(1, "0b")));
        Event bothEvent = EventSigner.sign(FlRoundCodecs.encodeUnmaskResponse(both, ROUND, P1, AGG, NOW), P1);
        assertThat(reason(FlRoundCodecs.decodeUnmaskResponse(bothEvent, ROUND, COORDINATOR))).isEqualTo(Reason.INCONSISTENT);
        Event fromOther = EventSigner.sign(FlRoundCodecs.encodeUnmaskResponse(resp, ROUND, P2, AGG, NOW), P2);
        assertThat(reason(FlRoundCodecs.decodeUnmaskResponse(fromOther, ROUND, COORDINATOR))).isEqualTo(Reason.NOT_ENROLLED);
        UnmaskResponse badX = new UnmaskResponse(3, "p1", Map.of("p2", new Share(0, "0a")), Map.of());
        Event badXEvent = EventSigner.sign(FlRoundCodecs.encodeUnmaskResponse(badX, ROUND, P1, AGG, NOW), P1);
        assertThat(reason(FlRoundCodecs.decodeUnmaskResponse(badXEvent, ROUND, COORDINATOR))).isEqualTo(Reason.MALFORMED_CONTENT);
    }
}
