package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.FlFixtures.COORDINATOR;
import static org.fedai.protocol.FlFixtures.edited;
import static org.fedai.protocol.FlFixtures.key;
import static org.fedai.protocol.FlFixtures.reason;
import static org.fedai.protocol.ProtocolFixtures.NOW;

import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;

class FederationTaskCodecTest {

    private final FederationTask task = new FederationTask("mnist-1", key(0xaa),
            new FederationTask.Model("mlp-784-64-10", 50_890, key(0x11)), 20, 10, "trimmed_mean", "secagg", 5, 1.0,
            new FederationTask.Deadlines(60, 300, 60), "per_accepted_update", 100_000, NOW + 3600);
    private final Event event = EventSigner.sign(FederationTaskCodec.encode(task, NOW), COORDINATOR);

    @Test
    void emptyContentIsMalformed() {
        assertThat(reason(FederationTaskCodec.decode(edited(event, COORDINATOR, s -> ""), NOW)))
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void otherKindIsWrongKind() {
        Event enrollment = EventSigner.sign(FlRoundCodecs.encodeEnrollment(
                new FlMessage.Enrollment(3, "p1", key(1), key(2)), FlFixtures.OPEN, key(0xaa), NOW), FlFixtures.P1);
        assertThat(reason(FederationTaskCodec.decode(enrollment, NOW))).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void roundTripsAndConformsToSchema() {
        assertThat(FederationTaskCodec.decode(event, NOW).orElseThrow()).isEqualTo(task);
        assertThat(KindSchemas.violations(event)).isEmpty();
        assertThat(event.address()).isEqualTo(FlFixtures.TASK);
    }

    @Test
    void expiredTaskIsRefused() {
        assertThat(reason(FederationTaskCodec.decode(event, NOW + 3601))).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void secureGroupOfTwoIsInconsistent() {
        Event pair = edited(event, COORDINATOR, s -> s.replace("\"group_size\":5", "\"group_size\":2"));
        assertThat(reason(FederationTaskCodec.decode(pair, NOW))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void nonFiniteOrZeroClipBoundAndUnknownRuleAreMalformed() {
        for (String bad : new String[] {"\"clip_norm\":1e400", "\"clip_norm\":0", "\"clip_norm\":\"NaN\""}) {
            Event e = edited(event, COORDINATOR, s -> s.replace("\"clip_norm\":1.0", bad));
            assertThat(reason(FederationTaskCodec.decode(e, NOW))).as(bad).isEqualTo(Reason.MALFORMED_CONTENT);
        }
        Event rule = edited(event, COORDINATOR, s -> s.replace("trimmed_mean", "mean_of_whatever"));
        assertThat(reason(FederationTaskCodec.decode(rule, NOW))).isEqualTo(Reason.MALFORMED_CONTENT);
    }
}
