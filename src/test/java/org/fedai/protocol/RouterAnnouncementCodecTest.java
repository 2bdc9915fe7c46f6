package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.announcement;
import static org.fedai.protocol.ProtocolFixtures.replacing;
import static org.fedai.protocol.ProtocolFixtures.sign;
import static org.fedai.protocol.ProtocolFixtures.withContent;
import static org.fedai.protocol.ProtocolFixtures.withTags;
import static org.fedai.protocol.ProtocolFixtures.without;

import org.fedai.nostr.Event;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterAnnouncementCodecTest {

    private final Event valid = sign(RouterAnnouncementCodec.encode(announcement(), NOW));

    private static Reason reasonOf(Event e) {
        return switch (RouterAnnouncementCodec.decode(e, NOW)) {
            case Decoded.Rejected<RouterAnnouncement> r -> r.rejection().reason();
            case Decoded.Accepted<RouterAnnouncement> a -> null;
        };
    }

    @Test
    void emptyContentIsRejected() {
        assertThat(reasonOf(withContent(valid, ""))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void anotherKindIsRejected() {
        assertThat(reasonOf(sign(new UnsignedEvent(NOW, 31400, valid.tags(), valid.content()))))
                .isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void roundTripsAndConformsToSchema() {
        assertThat(RouterAnnouncementCodec.decode(valid, NOW).orElseThrow()).isEqualTo(announcement());
        assertThat(KindSchemas.violations(valid)).isEmpty();
    }

    @Test
    void feeIsBasePlusPartsPerMillionRoundedDown() {
        RouterAnnouncement.Fee fee = new RouterAnnouncement.Fee(100, 10_000);
        assertThat(fee.forPrice(0)).isEqualTo(100);
        assertThat(fee.forPrice(1_000_000)).isEqualTo(100 + 10_000);
        assertThat(fee.forPrice(199)).isEqualTo(100 + 1);
        assertThat(new RouterAnnouncement.Fee(0, 1_000_000).forPrice(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void probationWithoutTermsDecodesWithNoCapsStated() {
        String bare = valid.content().replaceAll("\"probation\":\\{[^}]*}",
                "\"probation\":{\"state\":\"active\",\"completed_jobs\":3}");
        RouterAnnouncement a = RouterAnnouncementCodec.decode(withContent(valid, bare), NOW).orElseThrow();
        assertThat(a.probation()).isEqualTo(new RouterAnnouncement.Probation(RouterAnnouncement.ProbationState.ACTIVE, 3));
        assertThat(a.probation().sharePpm()).isEqualTo(1_000_000);
    }

    @Test
    void missingIdentifier() {
        assertThat(reasonOf(withTags(valid, without(valid, "d")))).isEqualTo(Reason.MISSING_TAG);
    }

    @Test
    void expired() {
        assertThat(reasonOf(withTags(valid, replacing(valid, "expiration", Long.toString(NOW)))))
                .isEqualTo(Reason.EXPIRED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ppm over a million     | \"ppm\":10000              | \"ppm\":1000001",
        "negative base fee      | \"base_msat\":100          | \"base_msat\":-1",
        "unknown probation      | \"state\":\"probation\"    | \"state\":\"trusted\"",
        "pow over 64 bits       | \"pow_difficulty\":8       | \"pow_difficulty\":65",
        "no policy              | \"policy\"                 | \"politics\"",
        "bad network            | \"network\":\"regtest\"    | \"network\":\"mainnet\"",
        "share over a million   | \"share_ppm\":250000     | \"share_ppm\":1000001",
        "negative stake         | \"stake_units\":400      | \"stake_units\":-1",
        "short commitment       | \"benchmarks_commitment\":\"efef | \"benchmarks_commitment\":\"",
    })
    void malformedContentIsRejectedWithItsReason(String name, String from, String to) {
        assertThat(valid.content()).contains(from);
        assertThat(reasonOf(withContent(valid, valid.content().replace(from, to)))).as(name)
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }
}
