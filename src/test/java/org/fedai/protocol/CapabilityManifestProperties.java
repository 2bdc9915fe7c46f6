package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fedai.domain.PaymentTiming;

class CapabilityManifestProperties {

    @Property(tries = 200)
    void encodeThenDecodeIsIdentity(@ForAll("manifests") CapabilityManifest m) {
        var event = ProtocolFixtures.sign(CapabilityManifestCodec.encode(m, ProtocolFixtures.NOW));
        assertThat(CapabilityManifestCodec.decode(event, ProtocolFixtures.NOW).orElseThrow()).isEqualTo(m);
    }

    @Provide
    Arbitrary<CapabilityManifest> manifests() {
        Arbitrary<String> ids = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-")
                .ofMinLength(1).ofMaxLength(64);
        Arbitrary<String> text = Arbitraries.strings().ofMinLength(1).ofMaxLength(40)
                .filter(s -> s.codePoints().allMatch(Character::isDefined));
        Arbitrary<CapabilityManifest.ModelOffer> model = Combinators.combine(text, text,
                Arbitraries.longs().between(0, 1L << 40)).as(CapabilityManifest.ModelOffer::new);
        Arbitrary<List<CapabilityManifest.ModelOffer>> models = model.list().ofMaxSize(4)
                .uniqueElements(CapabilityManifest.ModelOffer::id);
        return Combinators.combine(ids, models, Arbitraries.of(CapabilityManifest.Role.class).set().ofMinSize(1),
                Arbitraries.longs().between(0, 10_000_000), Arbitraries.of("bitcoin", "testnet", "signet", "regtest"),
                Arbitraries.longs().between(1, CapabilityManifestCodec.MAX_LIFETIME_SECONDS))
                .as((nodeId, ms, roles, price, network, lifetime) -> new CapabilityManifest(nodeId, "fedai/test", roles,
                        ms,
                        ms.stream().map(x -> new CapabilityManifest.Price(x.id(), "text", price, 0)).toList(),
                        new CapabilityManifest.Limits(2, 1000),
                        new PaymentTerms(Set.of(PaymentTiming.AFTER),
                                ProtocolFixtures.LIGHTNING_KEY, network),
                        Map.of("cpu", "small"), Map.of(), List.of(), ProtocolFixtures.NOW + lifetime));
    }
}
