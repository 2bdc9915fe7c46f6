package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.FlFixtures.COORDINATOR;
import static org.fedai.protocol.FlFixtures.P1;
import static org.fedai.protocol.FlFixtures.ROUND;
import static org.fedai.protocol.FlFixtures.edited;
import static org.fedai.protocol.FlFixtures.key;
import static org.fedai.protocol.FlFixtures.reason;
import static org.fedai.protocol.ProtocolFixtures.NOW;

import java.util.List;
import java.util.Map;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.protocol.FlMessage.RewardRecord;
import org.fedai.protocol.FlMessage.Score;
import org.fedai.protocol.FlMessage.ValidationReport;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;

class FlReportCodecsTest {

    private final ValidationReport report = new ValidationReport(3, 1.0,
            List.of(new Score("g0", 0.93, 0.71, true), new Score("g1", -0.2, 0.99, true)), Map.of("g1", "negative trust"));
    private final Event reportEvent = EventSigner.sign(FlReportCodecs.encodeValidationReport(report, ROUND, NOW), COORDINATOR);
    private final RewardRecord reward = new RewardRecord(3, "p1", 0.25, 25_000, key(0x33), "accepted update");
    private final Event rewardEvent = EventSigner.sign(FlReportCodecs.encodeReward(reward, ROUND, P1.publicKey(), NOW),
            COORDINATOR);

    @Test
    void emptyContentIsMalformed() {
        assertThat(reason(FlReportCodecs.decodeValidationReport(edited(reportEvent, COORDINATOR, s -> ""), ROUND)))
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void otherKindIsWrongKind() {
        assertThat(reason(FlReportCodecs.decodeValidationReport(rewardEvent, ROUND))).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void reportRoundTripsAndConformsToSchema() {
        assertThat(FlReportCodecs.decodeValidationReport(reportEvent, ROUND).orElseThrow()).isEqualTo(report);
        assertThat(KindSchemas.violations(reportEvent)).isEmpty();
    }

    @Test
    void reportWithNonFiniteScoreOrContradictoryNormCheck() {
        Event nan = edited(reportEvent, COORDINATOR, s -> s.replace("\"score\":0.93", "\"score\":\"NaN\""));
        assertThat(reason(FlReportCodecs.decodeValidationReport(nan, ROUND))).isEqualTo(Reason.MALFORMED_CONTENT);
        Event inf = edited(reportEvent, COORDINATOR, s -> s.replace("\"norm\":0.71", "\"norm\":1e999"));
        assertThat(reason(FlReportCodecs.decodeValidationReport(inf, ROUND))).isEqualTo(Reason.MALFORMED_CONTENT);
        Event lie = edited(reportEvent, COORDINATOR, s -> s.replace("\"norm\":0.71", "\"norm\":1.5"));
        assertThat(reason(FlReportCodecs.decodeValidationReport(lie, ROUND))).isEqualTo(Reason.INCONSISTENT);
        Event wrongRound = edited(reportEvent, COORDINATOR, s -> s.replace("\"round\":3", "\"round\":9"));
        assertThat(reason(FlReportCodecs.decodeValidationReport(wrongRound, ROUND))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void rewardRoundTripsAndOnlyTheCoordinatorStatesIt() {
        String coordinator = COORDINATOR.publicKey();
        assertThat(FlReportCodecs.decodeReward(rewardEvent, ROUND, coordinator).orElseThrow()).isEqualTo(reward);
        assertThat(KindSchemas.violations(rewardEvent)).isEmpty();
        Event self = EventSigner.sign(FlReportCodecs.encodeReward(reward, ROUND, P1.publicKey(), NOW), P1);
        assertThat(reason(FlReportCodecs.decodeReward(self, ROUND, coordinator))).isEqualTo(Reason.NOT_ENROLLED);
        Event stranger = edited(rewardEvent, COORDINATOR, s -> s.replace("\"p1\"", "\"p9\""));
        assertThat(reason(FlReportCodecs.decodeReward(stranger, ROUND, coordinator))).isEqualTo(Reason.NOT_ENROLLED);
        Event over = edited(rewardEvent, COORDINATOR, s -> s.replace("\"contribution\":0.25", "\"contribution\":1.5"));
        assertThat(reason(FlReportCodecs.decodeReward(over, ROUND, coordinator))).isEqualTo(Reason.MALFORMED_CONTENT);
    }
}
