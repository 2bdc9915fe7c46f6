package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.fedai.protocol.ProtocolFixtures.NODE;
import static org.fedai.protocol.ProtocolFixtures.NOW;
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

class StakeBondCodecTest {

    static final long DAY = 86_400;
    static final StakeBond BOND = new StakeBond("bond-1", NODE.publicKey(), 1000, 7 * DAY, NOW + 30 * DAY);

    private final Event valid = sign(StakeBondCodec.encode(BOND, NOW));

    private static Reason reasonOf(Event e) {
        return switch (StakeBondCodec.decode(e, NOW)) {
            case Decoded.Rejected<StakeBond> r -> r.rejection().reason();
            case Decoded.Accepted<StakeBond> a -> null;
        };
    }

    @Test
    void emptyContentIsRejected() {
        assertThat(reasonOf(withContent(valid, ""))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void anotherKindIsRejected() {
        assertThat(reasonOf(sign(new UnsignedEvent(NOW, 31401, valid.tags(), valid.content()))))
                .isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void roundTripsAndConformsToSchema() {
        assertThat(StakeBondCodec.decode(valid, NOW).orElseThrow()).isEqualTo(BOND);
        assertThat(KindSchemas.violations(valid)).isEmpty();
    }

    @Test
    void decaysByHalfEachHalfLifeAndStopsAtExpiration() {
        assertThat(BOND.effectiveUnits(NOW, NOW)).isEqualTo(1000);
        assertThat(BOND.effectiveUnits(NOW, NOW + 7 * DAY)).isCloseTo(500, within(1e-9));
        assertThat(BOND.effectiveUnits(NOW, NOW + 14 * DAY)).isCloseTo(250, within(1e-9));
        assertThat(BOND.effectiveUnits(NOW, NOW + 30 * DAY)).isZero();
        assertThat(BOND.effectiveUnits(NOW + 60, NOW)).as("post-dated").isZero();
    }

    @Test
    void missingNode() {
        assertThat(reasonOf(withTags(valid, without(valid, "p")))).isEqualTo(Reason.MISSING_TAG);
        assertThat(reasonOf(withTags(valid, replacing(valid, "p", "npub1xyz")))).isEqualTo(Reason.MALFORMED_TAG);
    }

    @Test
    void expiredOrTooFarAhead() {
        assertThat(reasonOf(withTags(valid, replacing(valid, "expiration", Long.toString(NOW)))))
                .isEqualTo(Reason.EXPIRED);
        assertThat(reasonOf(withTags(valid, replacing(valid, "expiration", Long.toString(NOW + 366 * DAY)))))
                .isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reasonOf(withTags(valid, without(valid, "expiration")))).isEqualTo(Reason.MISSING_TAG);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "zero units            | \"units\":1000        | \"units\":0",
        "too many units        | \"units\":1000        | \"units\":1000000001",
        "fractional units      | \"units\":1000        | \"units\":10.5",
        "no decay              | \"half_life_s\":604800 | \"half_life_s\":0",
        "half life over a year | \"half_life_s\":604800 | \"half_life_s\":31536001",
        "no half life          | \"half_life_s\"        | \"half_life\"",
    })
    void malformedContentIsRejectedWithItsReason(String name, String from, String to) {
        assertThat(valid.content()).contains(from);
        assertThat(reasonOf(withContent(valid, valid.content().replace(from, to)))).as(name)
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }
}
