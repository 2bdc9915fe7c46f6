package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;

/** 31402, 31403 and 4409 round-trip for any valid value; bond decay never grows and never exceeds the units. */
class TrustKindsProperties {

    private static final KeyPair ACCUSED = KeyPair.generate();

    @Property(tries = 200)
    void stakeBondsRoundTrip(@ForAll("bonds") StakeBond b) {
        var event = ProtocolFixtures.sign(StakeBondCodec.encode(b, ProtocolFixtures.NOW));
        assertThat(StakeBondCodec.decode(event, ProtocolFixtures.NOW).orElseThrow()).isEqualTo(b);
    }

    @Property(tries = 200)
    void decayIsMonotoneAndBounded(@ForAll("bonds") StakeBond b, @ForAll @LongRange(min = 0, max = 1L << 26) long t1,
            @ForAll @LongRange(min = 0, max = 1L << 26) long t2) {
        long now = ProtocolFixtures.NOW;
        double early = b.effectiveUnits(now, now + Math.min(t1, t2));
        double later = b.effectiveUnits(now, now + Math.max(t1, t2));
        assertThat(later).isLessThanOrEqualTo(early);
        assertThat(early).isBetween(0.0, (double) b.units());
    }

    @Property(tries = 200)
    void attestationsRoundTrip(@ForAll("attestations") NodeAttestation a) {
        var event = ProtocolFixtures.sign(NodeAttestationCodec.encode(a, ProtocolFixtures.NOW));
        assertThat(NodeAttestationCodec.decode(event, ProtocolFixtures.NOW).orElseThrow()).isEqualTo(a);
    }

    @Property(tries = 200)
    void slashClaimsRoundTrip(@ForAll("claims") SlashClaim c) {
        var event = EventSigner.sign(SlashClaimCodec.encode(c, ProtocolFixtures.NOW), ProtocolFixtures.ROUTER);
        assertThat(SlashClaimCodec.decode(event).orElseThrow()).isEqualTo(c);
    }

    @Provide
    Arbitrary<StakeBond> bonds() {
        Arbitrary<String> ids = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-")
                .ofMinLength(1).ofMaxLength(64);
        return Combinators.combine(ids, Arbitraries.longs().between(1, StakeBondCodec.MAX_UNITS),
                Arbitraries.longs().between(StakeBondCodec.MIN_HALF_LIFE_SECONDS, StakeBondCodec.MAX_HALF_LIFE_SECONDS),
                Arbitraries.longs().between(1, StakeBondCodec.MAX_LIFETIME_SECONDS))
                .as((d, units, half, life) -> new StakeBond(d, ACCUSED.publicKey(), units, half,
                        ProtocolFixtures.NOW + life));
    }

    @Provide
    Arbitrary<NodeAttestation> attestations() {
        Arbitrary<Double> unit = Arbitraries.doubles().between(0, 1);
        return Combinators.combine(Arbitraries.doubles().between(0, 1e7), unit, Arbitraries.longs().between(0, 1000),
                Arbitraries.longs().between(0, 1000), unit, Arbitraries.doubles().between(0, 1e6))
                .as((latency, rate, timeouts, extra, weight, bench) -> new NodeAttestation(ACCUSED.publicKey(), latency,
                        rate, timeouts, timeouts + extra, weight, Map.of("texts_per_s", bench),
                        ProtocolFixtures.NOW + 60));
    }

    @Provide
    Arbitrary<SlashClaim> claims() {
        Arbitrary<String> ids = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
        Arbitrary<List<String>> evidence = ids.list().ofMinSize(1).ofMaxSize(SlashClaimCodec.MAX_EVIDENCE)
                .uniqueElements();
        Arbitrary<String> detail = Arbitraries.strings().ofMaxLength(SlashClaimCodec.MAX_DETAIL_CHARS)
                .filter(s -> s.codePoints().allMatch(Character::isDefined) && s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
        return Combinators.combine(Arbitraries.of(SlashClaim.Reason.class), evidence, ids, detail)
                .as((reason, ev, job, text) -> new SlashClaim(ACCUSED.publicKey(), reason, ev,
                        reason.jobBound() ? job : "",
                        reason == SlashClaim.Reason.MISREPRESENTATION ? "texts_per_s" : "", text,
                        reason == SlashClaim.Reason.TAMPERING ? job : ""));
    }
}
